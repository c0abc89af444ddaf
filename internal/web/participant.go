package web

import (
	"net/http"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
)

const (
	participantCookie = "gs_p"
	participantKey    = "participant_hash"
	tokenField        = "t"
)

// newParticipantStore keeps the participant token in a cookie that is signed (HMAC-SHA256) and
// encrypted (AES-256), so the token never travels or rests in readable form.
func newParticipantStore(keys *anonymity.Keys, secure bool) *sessions.CookieStore {
	st := sessions.NewCookieStore(keys.SessionHash, keys.SessionBlock)
	st.Options = &sessions.Options{
		Path: "/", MaxAge: 400 * 24 * 3600, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	st.MaxAge(st.Options.MaxAge)
	return st
}

// participant makes sure every browser carries a participant token, issuing one on first visit,
// and puts the token's keyed hash (never the token) in the request context.
func (s *Server) participant(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sess, _ := s.sessions.Get(c.Request(), participantCookie) // a bad cookie yields a new session
		token, _ := sess.Values[tokenField].(string)
		if !anonymity.ValidToken(token) {
			token = anonymity.NewToken()
			sess.Values[tokenField] = token
			if err := sess.Save(c.Request(), c.Response()); err != nil {
				return err
			}
		}
		c.Set(participantKey, s.keys.TokenHash(token))
		return next(c)
	}
}

// participantOptional reads a participant token when the request has one, without issuing one:
// the API never sets cookies.
func (s *Server) participantOptional(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if sess, err := s.sessions.Get(c.Request(), participantCookie); err == nil {
			if token, _ := sess.Values[tokenField].(string); anonymity.ValidToken(token) {
				c.Set(participantKey, s.keys.TokenHash(token))
			}
		}
		return next(c)
	}
}

// participantHash is the keyed hash of the current participant's token, or "" if none.
func participantHash(c echo.Context) gs.TokenHash {
	h, _ := c.Get(participantKey).(gs.TokenHash)
	return h
}
