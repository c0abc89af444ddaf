package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/groundswell/groundswell/internal/accounts"
	"github.com/groundswell/groundswell/internal/anonymity"
	gs "github.com/groundswell/groundswell/internal/groundswell"
)

const (
	staffCookie = "gs_staff"
	staffKey    = "staff_user"
	staffToken  = "staff_token"
)

// newStaffStore keeps the staff session token in its own sealed cookie, apart from the
// participant cookie, so that the two identities are never joined.
func newStaffStore(hashKey, blockKey []byte, secure bool) *sessions.CookieStore {
	st := sessions.NewCookieStore(hashKey, blockKey)
	st.Options = &sessions.Options{Path: "/", MaxAge: int(accounts.AbsoluteTimeout.Seconds()), HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode}
	st.MaxAge(st.Options.MaxAge)
	return st
}

// deviceCookie marks a browser that has signed in as a staff member before: sealed, sent only to
// the sign-in page, and worth a throttle of its own (see accounts.Attempt).
const deviceCookie = "gs_device"

// newDeviceStore keeps device cookies for a year.
func newDeviceStore(hashKey, blockKey []byte, secure bool) *sessions.CookieStore {
	st := sessions.NewCookieStore(hashKey, blockKey)
	st.Options = &sessions.Options{Path: loginPath, MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode}
	st.MaxAge(st.Options.MaxAge)
	return st
}

// knownDevice returns the nonce of this browser's device cookie when it was earned by signing in
// with the address typed now, else "".
func (s *Server) knownDevice(c echo.Context, email string) string {
	sess, err := s.devices.Get(c.Request(), deviceCookie)
	if err != nil {
		return ""
	}
	who, _ := sess.Values["email"].(string)
	nonce, _ := sess.Values["nonce"].(string)
	if nonce == "" || who == "" || !strings.EqualFold(who, strings.TrimSpace(email)) {
		return ""
	}
	return nonce
}

// rememberDevice gives this browser a device cookie for the staff member who just signed in.
func (s *Server) rememberDevice(c echo.Context, email string) {
	sess, _ := s.devices.New(c.Request(), deviceCookie)
	sess.Values["email"], sess.Values["nonce"] = email, anonymity.NewToken()
	_ = sess.Save(c.Request(), c.Response()) // without it the next sign-in is merely throttled as a stranger's
}

type loginPage struct {
	basePage
	Email  string
	Next   string
	Error  string
	Setup  bool
	Signed *gs.StaffUser
}

func (s *Server) loginShow(c echo.Context) error {
	page := &loginPage{basePage: s.base(c, "Staff sign-in"), Next: safeNext(c.QueryParam("next"), ""), Signed: staffUser(c)}
	return s.render(c, http.StatusOK, "login", page)
}

func (s *Server) loginSubmit(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	page := &loginPage{basePage: s.base(c, "Staff sign-in"), Email: strings.TrimSpace(vals.Get("email")), Next: safeNext(vals.Get("next"), "")}
	old, _ := c.Get(staffToken).(string)
	device := s.knownDevice(c, vals.Get("email"))
	token, u, err := s.accounts.SignIn(c.Request().Context(), accounts.Attempt{Email: vals.Get("email"), Password: vals.Get("password"),
		Client: clientKey(c), Device: device, Replaces: old})
	if err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		page.Error = ref.Message
		return s.render(c, ref.Status, "login", page)
	}
	sess, _ := s.staffSessions.New(c.Request(), staffCookie) // always a new cookie at sign-in
	sess.Values[tokenField] = token
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	if device == "" {
		s.rememberDevice(c, u.Email)
	}
	s.dropCSRF(c) // a token seen before sign-in is not carried into the staff session
	next := page.Next
	if next == "" {
		next = homeFor(u.Role)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func homeFor(r gs.Role) string {
	switch r {
	case gs.RoleModerator:
		return queuePath
	case gs.RoleExpert:
		return panelsPath
	}
	return adminPath
}

func (s *Server) logout(c echo.Context) error {
	token, _ := c.Get(staffToken).(string)
	if err := s.accounts.SignOut(c.Request().Context(), token); err != nil {
		return err
	}
	sess, _ := s.staffSessions.Get(c.Request(), staffCookie)
	sess.Options.MaxAge = -1
	delete(sess.Values, tokenField)
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	s.dropCSRF(c)
	return c.Redirect(http.StatusSeeOther, loginPath+"?signed_out=1")
}

// clientKey identifies the connecting client for sign-in throttling only: the direct peer, or
// with trusted proxies configured the client they forwarded for (see New). It is held in memory
// for a few minutes and never stored or logged.
func clientKey(c echo.Context) string { return c.RealIP() }

type setupPage struct {
	basePage
	Token  string
	Email  string
	Errors map[string]string
}

func (s *Server) setupShow(c echo.Context) error {
	ok, err := s.accounts.SetupValid(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	if !ok {
		return gs.Errorf(gs.ENOTFOUND, "This setup link has been used or has expired. Restart the server to print a new one, or ask an admin for an account.")
	}
	return s.render(c, http.StatusOK, "setup", &setupPage{basePage: s.base(c, "Create the first admin"), Token: c.Param("token")})
}

func (s *Server) setupSubmit(c echo.Context) error {
	vals, err := readForm(c)
	if err != nil {
		return err
	}
	page := &setupPage{basePage: s.base(c, "Create the first admin"), Token: c.Param("token"), Email: vals.Get("email")}
	// Every problem at once: the addresses and passwords as the account rules see them, and
	// whether the two passwords match.
	errs := gs.FieldErrors{}
	if _, err := accounts.CheckNewAccount(vals.Get("email"), vals.Get("password")); err != nil && !errs.Merge(err) {
		return err
	}
	if vals.Get("password") != vals.Get("confirm") {
		errs.Add("confirm", "The two passwords are different.")
	}
	if err := errs.Err(); err != nil {
		ref, _ := refusedForm(c, err)
		page.Errors = ref.Fields
		return s.render(c, http.StatusUnprocessableEntity, "setup", page)
	}
	if _, err := s.accounts.CreateFirstAdmin(c.Request().Context(), c.Param("token"), vals.Get("email"), vals.Get("password")); err != nil {
		ref, ok := refusedForm(c, err)
		if !ok {
			return err
		}
		page.Errors = ref.Fields
		if page.Errors == nil {
			page.Errors = map[string]string{"email": ref.Message}
		}
		return s.render(c, ref.Status, "setup", page)
	}
	return c.Redirect(http.StatusSeeOther, loginPath+"?created=1")
}
