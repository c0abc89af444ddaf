package web

import (
	"net/http"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/groundswell/groundswell/internal/anonymity"
)

const (
	participantCookie = "gs_p"
	participantKey    = "participant_hash"
	tokenField        = "t"
	// sinceField is when the token was issued, sealed in the cookie and never stored: the
	// standing rule asks how long a browser has been known.
	sinceField = "s"
	sinceKey   = "participant_since"
)

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
	if wantsJSON(c) {
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, "/?left=1")
}

func newParticipantStore(keys *anonymity.Keys, secure bool) *sessions.CookieStore {
	st := sessions.NewCookieStore(keys.SessionHash, keys.SessionBlock)
	st.Options = &sessions.Options{
		Path: "/", MaxAge: 400 * 24 * 3600, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	st.MaxAge(st.Options.MaxAge)
	return st
}
