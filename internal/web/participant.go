package web

import (
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
)

const (
	participantCookie = "gs_p"
	participantKey    = "participant_hash"
	tokenField        = "t"
	// sinceField is when the token was issued, sealed in the cookie and never stored: the
	// standing rule asks how long a browser has been known.
	sinceField = "s"
	sinceKey   = "participant_since"
	// untilField is when the cookie should end (Unix seconds), sealed in it so that every save
	// keeps the lifetime the challenges the browser takes part in need (see rememberFor).
	untilField = "x"
	// sharedField marks a browser that took part in a challenge for shared computers: its cookie
	// ends when the browser closes.
	sharedField = "d"
)

// saveParticipant writes the participant cookie back with the lifetime sealed in it, so that a
// save for any reason (a note, the record of a look) never shortens it.
func saveParticipant(c echo.Context, sess *sessions.Session) error {
	until, _ := sess.Values[untilField].(int64)
	age := time.Until(time.Unix(until, 0))
	if until == 0 || age <= 0 {
		age = gs.RememberAfterVoting
		sess.Values[untilField] = time.Now().Add(age).Unix()
	}
	sess.Options.MaxAge = int(age / time.Second)
	if shared, _ := sess.Values[sharedField].(bool); shared {
		sess.Options.MaxAge = 0 // a session cookie: gone when the browser closes
	}
	return sess.Save(c.Request(), c.Response())
}

// rememberFor makes the participant cookie last as long as taking part in ch needs, when that
// is longer than it lasts already; the cookie never lives longer than its longest need.
func (s *Server) rememberFor(c echo.Context, ch *gs.Challenge) {
	sess, err := s.sessions.Get(c.Request(), participantCookie)
	if err != nil {
		return
	}
	if shared, _ := sess.Values[sharedField].(bool); ch.SharedDevices && !shared {
		sess.Values[sharedField] = true
		_ = saveParticipant(c, sess)
		return
	}
	until, _ := sess.Values[untilField].(int64)
	want := ch.RememberUntil(time.Now())
	if want.Unix() <= until+24*3600 { // within a day of what it has: no new cookie for that
		return
	}
	sess.Values[untilField] = want.Unix()
	_ = saveParticipant(c, sess)
}

// newParticipantStore keeps the participant token in a cookie that is signed (HMAC-SHA256) and
// encrypted (AES-256), so the token never travels or rests in readable form.
// leave forgets the participant on this browser ("Leave this computer"): the cookie goes, and
// the next person here starts as a new participant who sees nothing of the last one's.
func (s *Server) leave(c echo.Context) error {
	sess, _ := s.sessions.Get(c.Request(), participantCookie)
	sess.Options.MaxAge = -1
	delete(sess.Values, tokenField)
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	s.dropCSRF(c)
	// Pages this browser kept (no-cache lets it keep them) go too, so that the back button shows
	// the next person nothing of this one's.
	c.Response().Header().Set("Clear-Site-Data", `"cache"`)
	if wantsJSON(c) {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, "/?left=1")
}

func newParticipantStore(keys *anonymity.Keys, secure bool) *sessions.CookieStore {
	st := sessions.NewCookieStore(keys.SessionHash, keys.SessionBlock)
	st.Options = &sessions.Options{
		Path: "/", MaxAge: int(gs.RememberAfterVoting / time.Second), HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	// The seal itself is accepted for as long as any cookie may live; each cookie's own lifetime
	// is set when it is saved.
	st.MaxAge(int(gs.RememberAtMost / time.Second))
	st.Options.MaxAge = int(gs.RememberAfterVoting / time.Second)
	return st
}
