package ics_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
	"github.com/tamledger/tamledger/ics"
)

// corpusDir finds the 171 real calendar files of the shared data (the
// ics-corpus folder beside the repository, or TAMLEDGER_ICS_CORPUS).
func corpusDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("TAMLEDGER_ICS_CORPUS"); d != "" {
		return d
	}
	for _, d := range []string{"../../shared/data/ics-corpus", "../../../shared/data/ics-corpus", "/work/shared/data/ics-corpus"} {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	t.Fatal("the real calendar files (shared/data/ics-corpus) are not found: set TAMLEDGER_ICS_CORPUS to their folder")
	return ""
}

var errPos = regexp.MustCompile(`^[^:]+\.ics:[0-9]+:[0-9]+: .+`)

// TestRealCalendars reads every real calendar file: none panics or hangs,
// and each gives meetings or errors that name FILE:LINE:COL.
func TestRealCalendars(t *testing.T) {
	dir := corpusDir(t)
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(strings.ToLower(p), ".ics") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 171 {
		t.Fatalf("found %d calendar files in %s, want the 171 of the corpus", len(files), dir)
	}
	read, failed, meetings := 0, 0, 0
	for _, f := range files {
		t.Run(strings.TrimPrefix(f, dir+"/"), func(t *testing.T) {
			in, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			res, err := ics.Read(f, in, ics.Options{Loc: time.UTC, To: tamledger.MustDate("2026-12-31")})
			var el document.ErrorList
			switch {
			case errors.As(err, &el):
				failed++
				for _, e := range el {
					if e.Line == 0 && e.File == f {
						continue // a whole-file problem (no calendar in it)
					}
					if !errPos.MatchString(e.Error()) && !strings.HasPrefix(e.Msg, "stopped after") {
						t.Errorf("error without FILE:LINE:COL: %q", e.Error())
					}
				}
				t.Logf("%d error(s), first: %v", len(el), el[0])
			case err != nil:
				t.Fatalf("not a document.ErrorList: %v", err)
			default:
				read++
				meetings += len(res.Meetings)
				for _, m := range res.Meetings {
					if m.UID == "" || m.Date.IsZero() || m.Line <= 0 {
						t.Errorf("meeting without UID, date or line: %+v", m)
					}
				}
			}
		})
	}
	t.Logf("%d files read (%d meetings), %d refused with errors", read, meetings, failed)
	if read < 100 {
		t.Errorf("only %d of %d real files read: the reader refuses too much", read, len(files))
	}
}
