package ui

import (
	"cmp"
	"net/http"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/render"
)

// documentView is one document the overview offers for download.
type documentView struct {
	Name, Title, About string
	Links              []documentLink
}

type documentLink struct {
	Format, Label, Href string
}

// documentWords are the title and the purpose of each of render.Documents.
var documentWords = map[string][2]string{
	"charter":      {"TAM Engagement Charter", "the obligations in plain words, to agree at an EBR"},
	"ebr":          {"Executive Business Review pack", "health, delivery, value and our asks"},
	"reassignment": {"Reassignment request", "the letter asking for a better-suited TAM, with the evidence"},
	"edp":          {"EDP renewal dossier", "value and cost over the term, and what to ask for"},
}

// formatLabels name render.Formats for people.
var formatLabels = map[string]string{"pdf": "PDF", "html": "HTML", "md": "Markdown"}

// documents are the overview's downloads of org as of asOf: each document
// in PDF, HTML and Markdown.
func documents(org string, asOf tamledger.Date) []documentView {
	var out []documentView
	for _, doc := range render.Documents {
		w := documentWords[doc]
		v := documentView{Name: doc, Title: cmp.Or(w[0], doc), About: w[1]}
		for _, f := range []string{"pdf", "html", "md"} {
			v.Links = append(v.Links, documentLink{Format: f, Label: formatLabels[f],
				Href: orgPath(org, "documents", doc) + "?asOf=" + asOf.String() + "&format=" + f})
		}
		out = append(out, v)
	}
	return out
}

// document serves a document for download: what tamledger render writes
// and the API serves (render.Download), as an attachment. An organisation
// whose ledger lacks what the document needs gets a page that says what
// is missing and how to add it.
func (h *Handler) document(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	if p, _ := access.From(r.Context()); !p.CanRead(org) {
		h.fail(w, r, notFound(org))
		return
	}
	q := r.URL.Query()
	var day tamledger.Date // zero: today in the organisation's time zone
	if v := q.Get("asOf"); v != "" {
		var err error
		if day, err = tamledger.ParseDate(v); err != nil {
			h.fail(w, r, tamledger.Errorf(tamledger.EINVALID, "asOf: %v", err))
			return
		}
	}
	f, err := render.Download(r.Context(), h.st, org, r.PathValue("document"), cmp.Or(q.Get("format"), "md"), day, "")
	if tamledger.ErrorCode(err) == tamledger.ENOTFOUND {
		err = notFound(org)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Serve(w)
}
