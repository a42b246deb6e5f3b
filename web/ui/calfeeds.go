package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/access"
	"github.com/tamledger/tamledger/store"
	"github.com/tamledger/tamledger/web"
)

// The charter page's "Subscribe in your calendar" section: an editor or
// an admin of the organisation makes a subscription address (shown once,
// in the answer to the form: never in a URL or a redirect), sees the
// organisation's feeds that work (name, who made it, when) and revokes
// them. A viewer sees neither the feeds nor the form: an address is a
// credential that outlives a session, to be handed out by those who may
// change the organisation (docs/web.md).

// feedsView is the section.
type feedsView struct {
	CanWrite bool
	Feeds    []store.CalendarFeed // the feeds not revoked, oldest first
	Name     string               // the form's name, kept when it failed
	Error    string
	New      *newFeed // the feed just made: its address, this once
}

type newFeed struct {
	ID            int64
	Name          string
	HTTPS, Webcal string
}

// calendarFeeds reads the section for p.
func (h *Handler) calendarFeeds(r *http.Request, p *access.Principal, org string) (feedsView, error) {
	v := feedsView{CanWrite: p.CanWrite(org)}
	if !v.CanWrite {
		return v, nil
	}
	all, err := h.st.CalendarFeeds(r.Context(), org)
	for _, f := range all {
		if !f.Revoked() {
			v.Feeds = append(v.Feeds, f)
		}
	}
	return v, err
}

// createFeed serves POST /orgs/{org}/calendar-feeds: the charter page
// with the new address, or with the form's error.
func (h *Handler) createFeed(w http.ResponseWriter, r *http.Request) {
	p, err := writable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l, err := h.readable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	token, f, cerr := web.CreateCalendarFeed(r.Context(), h.st, l.Org.ID, name, p.Email)
	if cerr != nil && tamledger.ErrorCode(cerr) != tamledger.EINVALID {
		h.fail(w, r, cerr)
		return
	}
	v, err := h.calendarFeeds(r, p, l.Org.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if cerr != nil {
		status, v.Name, v.Error = http.StatusBadRequest, name, tamledger.ErrorMessage(cerr)
	} else {
		https, webcal := web.CalendarFeedURLs(web.BaseURL(r), token)
		v.New = &newFeed{ID: f.ID, Name: f.Name, HTTPS: https, Webcal: webcal}
	}
	h.renderCharter(w, r, l, v, status)
}

// revokeFeed serves POST /orgs/{org}/calendar-feeds/{id}/revoke.
func (h *Handler) revokeFeed(w http.ResponseWriter, r *http.Request) {
	p, err := writable(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	org := r.PathValue("org")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, tamledger.Errorf(tamledger.ENOTFOUND, "There is no calendar feed %q of %s.", r.PathValue("id"), org))
		return
	}
	if err := h.st.RevokeCalendarFeed(r.Context(), org, id, p.Email); err != nil {
		h.fail(w, r, err)
		return
	}
	seeOther(w, r, orgPath(org, "charter"), "Revoked calendar feed "+strconv.FormatInt(id, 10)+": its address no longer answers.")
}
