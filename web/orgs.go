package web

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/store"
)

// orgListPage is the pages handler used when Options.Pages is nil: the
// organisations the user may see, with links to their JSON.
var orgListPage = template.Must(template.New("orgs").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Organizations · tamledger</title>
<link rel="stylesheet" href="/signin.css">
</head>
<body class="signin">
<main>
  <h1>Organizations</h1>
  <p class="tagline">Signed in as {{.Email}} ({{.Role}}).</p>
  {{if .Orgs}}<ul>
  {{range .Orgs}}<li><a href="/api/v1/organizations/{{.ID}}/scorecard">{{if .Name}}{{.Name}}{{else}}{{.ID}}{{end}}</a> <small>({{.ID}})</small></li>
  {{end}}</ul>{{else}}<p>No organization you may see is in the store.</p>{{end}}
  <form method="post" action="/signout"><button type="submit">Sign out</button></form>
</main>
</body>
</html>
`))

func orgList(st *store.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		p, _ := access.From(r.Context())
		all, err := st.Organizations(r.Context())
		if err != nil {
			http.Error(w, "Internal error.", http.StatusInternalServerError)
			return
		}
		var orgs []tamledger.Organization
		for _, o := range all {
			if p.CanRead(o.ID) {
				orgs = append(orgs, o)
			}
		}
		var b bytes.Buffer
		if err := orgListPage.Execute(&b, struct {
			Email, Role string
			Orgs        []tamledger.Organization
		}{p.Email, string(p.Role), orgs}); err != nil {
			http.Error(w, "Internal error.", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b.Bytes())
	})
}
