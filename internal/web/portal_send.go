package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ombud/ombud/internal/api"
	"github.com/ombud/ombud/internal/workflow"
)

// sendCodeSubmit answers the forms of the page after a submission: POST
// /portal/send-code {number, code, channel, email} has the case's number
// and access code sent by SMS (to the complaint's phone) or email, and
// shows the page again saying so, or why not. As in tracking, a wrong
// number or code is answered on the tracking page with 404.
func (u *UI) sendCodeSubmit(w http.ResponseWriter, r *http.Request) {
	p := u.portal(r, "new", "ui.portal.done.title", "/portal")
	p.NoLang = true
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		u.trackAgain(w, u.portal(r, "track", "ui.portal.track.title", "/portal/track"), http.StatusBadRequest, "error.bad_request", nil)
		return
	}
	number, code := strings.TrimSpace(r.PostForm.Get("number")), strings.TrimSpace(r.PostForm.Get("code"))
	channel, email := r.PostForm.Get("channel"), strings.TrimSpace(r.PostForm.Get("email"))
	p.Number, p.Code = number, workflow.FormatAccessCode(code)
	p.F = url.Values{"email": {email}}
	if !u.public.Request(r) {
		// The number and code stay on the page; the forms come back with
		// the next request.
		p.Error = p.T("error.rate_limited")
		u.render(w, http.StatusTooManyRequests, "portal_done", p)
		return
	}
	offer, err := u.svc.PublicCodeOffer(r.Context(), number, code)
	if err != nil {
		tp := u.portal(r, "track", "ui.portal.track.title", "/portal/track")
		tp.F = url.Values{"number": {number}}
		u.trackFail(w, tp, err)
		return
	}
	p.Offer = offer
	p.F.Set("kind", offer.Kind)
	to, err := u.svc.SendAccessCode(r.Context(), number, code, channel, email, p.Lang)
	if err == nil {
		p.Sent = p.T("ui.portal.send.sent_"+channel, to)
		p.F.Del("email")
		u.render(w, http.StatusOK, "portal_done", p)
		return
	}
	status, ecode, fields := api.Classify(err)
	if status == http.StatusInternalServerError {
		u.log.Error("sending an access code", "err", err)
	}
	p.Errs, p.Error = fields, p.T("error."+ecode)
	u.render(w, status, "portal_done", p)
}
