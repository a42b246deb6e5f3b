package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/render"
)

// openAPIDocument is the OpenAPI 3.1 description of the API, built once
// from APIRoutes (so that it describes the routes the server has) and the
// documents' JSON Schema (document.Schema), whose definitions become its
// components.
var openAPIDocument = sync.OnceValues(func() ([]byte, error) {
	var schema struct {
		Defs map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(document.Schema(), &schema); err != nil {
		return nil, err
	}
	schemas := map[string]any{}
	for name, def := range schema.Defs {
		schemas[name] = json.RawMessage(bytes.ReplaceAll(def, []byte(`"#/$defs/`), []byte(`"#/components/schemas/`)))
	}
	schemas["Problem"] = map[string]any{
		"type":        "object",
		"description": "An error (RFC 9457). code is the CLI's error code (invalid, not_found, conflict, unavailable, internal) or HTTP's (unauthorized, forbidden, precondition_failed, precondition_required).",
		"required":    []string{"type", "title", "status", "detail", "code"},
		"properties": map[string]any{
			"type":       map[string]any{"type": "string"},
			"title":      map[string]any{"type": "string"},
			"status":     map[string]any{"type": "integer"},
			"detail":     map[string]any{"type": "string"},
			"code":       map[string]any{"type": "string"},
			"errors":     map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{"line": map[string]any{"type": "integer"}, "column": map[string]any{"type": "integer"}, "field": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}},
			"current":    map[string]any{"description": "the record as stored now (412, 409)"},
			"currentRev": map[string]any{"type": "integer"},
		},
	}
	schemas["History"] = map[string]any{
		"type": "object", "required": []string{"kind", "organization", "id", "revisions"},
		"properties": map[string]any{
			"kind": map[string]any{"type": "string"}, "organization": map[string]any{"type": "string"}, "id": map[string]any{"type": "string"},
			"revisions": map[string]any{"type": "array", "items": map[string]any{
				"type": "object", "required": []string{"rev", "action", "manager", "at"},
				"properties": map[string]any{
					"rev":     map[string]any{"type": "integer"},
					"action":  map[string]any{"enum": []string{"created", "updated", "deleted"}},
					"manager": map[string]any{"type": "string", "description": "who wrote: import, cli, web:EMAIL, ..."},
					"at":      map[string]any{"type": "string", "format": "date-time"},
					"fields":  map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": "the fields changed (absent: every field)"},
				},
			}},
		},
	}
	schemas["CalendarFeed"] = calendarFeedSchema
	schemas["Report"] = map[string]any{"type": "object", "description": "The same JSON as the CLI's -o json for the same store (docs/scorecard.md, docs/roi.md)."}

	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	jsonOf := func(schema any) map[string]any {
		return map[string]any{"application/json": map[string]any{"schema": schema}}
	}
	problemResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/problem+json": map[string]any{"schema": ref("Problem")}}}
	}
	orgParam := map[string]any{"name": "org", "in": "path", "required": true, "schema": map[string]any{"type": "string"}, "description": "the organisation's id"}
	docParam := map[string]any{"name": "document", "in": "path", "required": true, "schema": map[string]any{"enum": render.Documents}, "description": "the document (docs/render.md)"}
	idParam := map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "string"}, "description": "the record's id"}
	ifMatch := map[string]any{"name": "If-Match", "in": "header", "required": true, "schema": map[string]any{"type": "string"},
		"description": `the ETag read ("3"), or * for whatever version is stored`}
	query := func(name, desc string) map[string]any {
		return map[string]any{"name": name, "in": "query", "schema": map[string]any{"type": "string"}, "description": desc}
	}
	etagHeader := map[string]any{"ETag": map[string]any{"description": "the record's rev, quoted", "schema": map[string]any{"type": "string"}}}

	paths := map[string]map[string]any{}
	for _, rt := range APIRoutes() {
		op := map[string]any{"operationId": operationID(rt), "responses": map[string]any{
			"401": problemResp("not signed in, or a bad API token"),
			"404": problemResp("no such organisation or record, or one the caller may not see"),
		}}
		resp := op["responses"].(map[string]any)
		var params []any
		if strings.Contains(rt.Pattern, "{org}") {
			params = append(params, orgParam)
		}
		if strings.Contains(rt.Pattern, "{document}") {
			params = append(params, docParam)
		}
		if strings.Contains(rt.Pattern, "{id}") {
			params = append(params, idParam)
		}
		noun := ""
		if rt.Kind != nil {
			info, _ := tamledger.LookupKind(rt.Kind.Kind)
			noun = info.Noun
			op["tags"] = []string{rt.Kind.Path}
		}
		switch rt.op {
		case "openapi":
			op["summary"] = "This document"
			resp["200"] = map[string]any{"description": "OpenAPI 3.1", "content": jsonOf(map[string]any{"type": "object"})}
		case "organizations":
			op["summary"] = "The organisations the caller may see"
			resp["200"] = map[string]any{"description": "a List of Organization documents", "content": jsonOf(ref("List"))}
		case "organization":
			op["summary"] = "One organisation"
			resp["200"] = map[string]any{"description": "an Organization document", "headers": etagHeader, "content": jsonOf(ref("OrganizationDocument"))}
		case "scorecard":
			op["summary"] = "The scorecard, as tamledger scorecard -o json"
			params = append(params, query("asOf", "YYYY-MM-DD (default: today in the organisation's time zone)"))
			resp["200"] = map[string]any{"description": "the scorecard", "content": jsonOf(ref("Report"))}
			resp["400"] = problemResp("a bad date")
		case "actions":
			op["summary"] = "The next actions, as tamledger actions -o json"
			params = append(params, query("asOf", "YYYY-MM-DD (default: today in the organisation's time zone)"))
			resp["200"] = map[string]any{"description": "the actions", "content": jsonOf(ref("Report"))}
			resp["400"] = problemResp("a bad date")
		case "roi":
			op["summary"] = "The value of the TAM against its cost, as tamledger roi -o json"
			params = append(params, query("from", "first day, YYYY-MM-DD"), query("to", "last day, YYYY-MM-DD (included)"),
				query("year", "a calendar year, instead of from and to"), query("by", "quarter: also by quarter"))
			resp["200"] = map[string]any{"description": "the ROI report", "content": jsonOf(ref("Report"))}
			resp["400"] = problemResp("a bad or missing period")
		case "document":
			op["summary"] = "A document to agree or read, as tamledger render writes it: the charter, the EBR pack, the reassignment request, the EDP renewal dossier"
			params = append(params, query("asOf", "YYYY-MM-DD (default: today in the organisation's time zone)"),
				query("format", "md (the default), html or pdf"), query("paper", "the paper of a PDF: a4 (the default) or letter"))
			text := map[string]any{"schema": map[string]any{"type": "string"}}
			resp["200"] = map[string]any{"description": "the document, as an attachment named ORG-DOCUMENT-ASOF.EXT",
				"headers": map[string]any{"Content-Disposition": map[string]any{"schema": map[string]any{"type": "string"}, "description": `attachment; filename="acme-ebr-2026-09-30.pdf"`}},
				"content": map[string]any{"text/markdown": text, "text/html": text, "application/pdf": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}}
			resp["400"] = problemResp("an unknown document, format or paper, or a bad date")
			resp["422"] = problemResp("the organisation lacks what the document needs (a charter in force, evidence for a reassignment, an EDP): detail says what and how to add it")
		case "list":
			op["summary"] = "The " + rt.Kind.Path + " of an organisation, by id"
			resp["200"] = map[string]any{"description": "a List, as tamledger get " + rt.Kind.Path + " -o json", "content": jsonOf(ref("List"))}
		case "get":
			op["summary"] = "One " + noun
			resp["200"] = map[string]any{"description": "the document", "headers": etagHeader, "content": jsonOf(ref(rt.Kind.Kind + "Document"))}
		case "create":
			op["summary"] = "Create a " + noun + " (editors and admins)"
			op["requestBody"] = map[string]any{"required": true, "content": jsonOf(ref(rt.Kind.Kind + "Document"))}
			resp["201"] = map[string]any{"description": "created", "headers": etagHeader, "content": jsonOf(ref(rt.Kind.Kind + "Document"))}
			resp["400"] = problemResp("the document has problems (errors lists them)")
			resp["403"] = problemResp("the caller's role may not write")
			resp["409"] = problemResp("a record with that id exists (current holds it)")
		case "replace":
			op["summary"] = "Replace a " + noun + " (editors and admins), if it is still at the rev of If-Match"
			params = append(params, ifMatch)
			op["requestBody"] = map[string]any{"required": true, "content": jsonOf(ref(rt.Kind.Kind + "Document"))}
			resp["200"] = map[string]any{"description": "replaced", "headers": etagHeader, "content": jsonOf(ref(rt.Kind.Kind + "Document"))}
			resp["400"] = problemResp("the document has problems (errors lists them)")
			resp["403"] = problemResp("the caller's role may not write")
			resp["412"] = problemResp("the record changed since it was read (current holds it)")
			resp["428"] = problemResp("no If-Match")
		case "delete":
			op["summary"] = "Delete a " + noun + " (editors and admins), if it is still at the rev of If-Match"
			params = append(params, ifMatch)
			resp["204"] = map[string]any{"description": "deleted"}
			resp["403"] = problemResp("the caller's role may not write")
			resp["412"] = problemResp("the record changed since it was read (current holds it)")
			resp["428"] = problemResp("no If-Match")
		case "history":
			op["summary"] = "Who changed a " + noun + ", when, and which fields (the audit trail), oldest first"
			resp["200"] = map[string]any{"description": "the revisions", "content": jsonOf(ref("History"))}
		case "feeds", "create-feed", "revoke-feed":
			params = describeFeedRoute(rt.op, op, resp, params, problemResp, jsonOf)
		default:
			return nil, fmt.Errorf("web: openapi: no description of %s", rt.op)
		}
		if params != nil {
			op["parameters"] = params
		}
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = map[string]any{}
		}
		paths[rt.Pattern][strings.ToLower(rt.Method)] = op
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "tamledger API",
			"version":     "v1",
			"description": "The records, scorecards, actions, ROI and documents of the organisations the caller may see. Authenticate with a session cookie or Authorization: Bearer TOKEN (tamledger token create). docs/web.md has the security model.",
		},
		"servers":    []any{map[string]any{"url": "/"}},
		"security":   []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}},
		"paths":      paths,
		"components": map[string]any{"schemas": schemas, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}, "session": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie}}},
	}
	return json.MarshalIndent(doc, "", "  ")
})

// operationID names a route: listEngagements, getOrganization, roi, ...
func operationID(rt Route) string {
	if rt.Kind == nil {
		return rt.op
	}
	name := rt.Kind.Kind
	if rt.op == "list" {
		name = ""
		for _, w := range strings.Split(rt.Kind.Path, "-") {
			name += strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return rt.op + name
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	b, err := openAPIDocument()
	if err != nil {
		s.problemOf(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
