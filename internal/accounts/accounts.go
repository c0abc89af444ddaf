// Package accounts runs staff accounts: creating them, passwords, sign-in with throttling,
// server-side sessions with idle and absolute timeouts, and the one-time setup link for the
// first admin. Staff accounts never touch participant identities.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/ccojocar/zxcvbn-go"
	"golang.org/x/time/rate"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/store"
)

// Session lifetimes.
const (
	IdleTimeout     = gs.StaffIdleTimeout
	AbsoluteTimeout = gs.StaffAbsoluteTimeout
	SetupLinkTTL    = time.Hour
	touchEvery      = time.Minute
)

// Params are argon2id's cost settings: OWASP's recommended minimum of 19 MiB, two passes and
// one lane, which takes a few tens of milliseconds here.
var Params = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Service holds the account use cases.
type Service struct {
	store *store.Store
	log   *slog.Logger
	// Now is the clock; tests move it to reach timeouts.
	Now func() time.Time

	mu       sync.Mutex
	accounts map[string]*rate.Limiter
	clients  map[string]*rate.Limiter
	devices  map[string]*rate.Limiter
}

// New returns a Service over st.
func New(st *store.Store, log *slog.Logger) *Service {
	return &Service{store: st, log: log, Now: func() time.Time { return st.Now() },
		accounts: map[string]*rate.Limiter{}, clients: map[string]*rate.Limiter{}, devices: map[string]*rate.Limiter{}}
}

// CheckPassword applies the password policy: 12 to 128 characters, and not guessable by a
// zxcvbn strength estimate that knows the most common passwords and the user's email.
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	msg := ""
	switch {
	case !utf8.ValidString(password):
		msg = "The password contains characters we cannot read."
	case n < gs.PasswordMin:
		msg = "Use at least 12 characters. A few unrelated words make a strong password that is easy to remember."
	case n > gs.PasswordMax:
		msg = "Use at most 128 characters."
	default:
		inputs := []string{"groundswell"}
		if local, _, ok := strings.Cut(email, "@"); ok {
			inputs = append(inputs, email, local)
		}
		if zxcvbn.PasswordStrength(password, inputs).Score < 3 {
			msg = "This password is too easy to guess: it is common, or close to your email address. Try a few unrelated words."
		}
	}
	if msg == "" {
		return nil
	}
	return &gs.Error{Code: gs.EINVALID, Message: msg, Fields: map[string]string{"password": msg}}
}

// CheckNewAccount checks a new account's email address and password together, so that a form
// can show both problems at once, and returns the address as stored.
func CheckNewAccount(email, password string) (string, error) {
	normal, emailErr := gs.NormalizeEmail(email)
	passErr := CheckPassword(password, normal)
	switch {
	case passErr == nil:
		return normal, emailErr // one problem keeps its own words, for the command line too
	case emailErr == nil:
		return normal, passErr
	}
	f := gs.FieldErrors{}
	f.Merge(emailErr)
	f.Merge(passErr)
	return normal, f.Err()
}

// CreateUser adds a staff account after checking the email and password.
func (s *Service) CreateUser(ctx context.Context, email string, role gs.Role, password string, by gs.Actor) (*gs.StaffUser, error) {
	u, err := s.newUser(email, role, password)
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error { return insertStaff(tx, u, by) })
	if err != nil {
		return nil, err
	}
	return u, nil
}

// insertStaff adds an account and audits it in the same transaction.
func insertStaff(tx *store.Tx, u *gs.StaffUser, by gs.Actor) error {
	if err := tx.InsertStaff(u); err != nil {
		return err
	}
	return tx.Audit(gs.AuditEntry{Actor: by, Action: "staff.create", TargetType: "staff", TargetID: u.ID,
		After: gs.Snapshot(map[string]any{"email": u.Email, "role": u.Role})})
}

func (s *Service) newUser(email string, role gs.Role, password string) (*gs.StaffUser, error) {
	email, err := CheckNewAccount(email, password)
	if err != nil {
		return nil, err
	}
	hash, err := argon2id.CreateHash(password, Params)
	if err != nil {
		return nil, err
	}
	return &gs.StaffUser{Email: email, Role: role, PasswordHash: hash}, nil
}

// Users lists the staff accounts.
func (s *Service) Users(ctx context.Context) ([]gs.StaffUser, error) { return s.store.StaffUsers(ctx) }

// SetDisabled disables or re-enables a user; disabling signs them out everywhere at once. The
// active admins are locked first, and the domain's rule refuses to disable oneself or the last
// active admin, which would lock everyone out.
func (s *Service) SetDisabled(ctx context.Context, id int64, disabled bool, by gs.Actor) error {
	return s.changeStaff(ctx, id, func(tx *store.Tx, u *gs.StaffUser, admins []int64) error {
		change, err := gs.CheckDisable(*u, disabled, admins, by)
		if err != nil || !change {
			return err
		}
		if err := tx.SetStaffDisabled(id, disabled); err != nil {
			return err
		}
		action := "staff.enable"
		if disabled {
			action = "staff.disable"
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: action, TargetType: "staff", TargetID: id,
			Before: gs.Snapshot(map[string]any{"disabled": u.Disabled}), After: gs.Snapshot(map[string]any{"disabled": disabled})})
	})
}

// SetRole gives a staff account another role, audited; its sessions end so the new role
// applies at once. The rule is gs.CheckRoleChange.
func (s *Service) SetRole(ctx context.Context, id int64, role string, by gs.Actor) error {
	to, err := gs.ParseRole(role)
	if err != nil {
		return err
	}
	return s.changeStaff(ctx, id, func(tx *store.Tx, u *gs.StaffUser, admins []int64) error {
		change, err := gs.CheckRoleChange(*u, to, admins, by)
		if err != nil || !change {
			return err
		}
		if err := tx.SetStaffRole(id, to); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "staff.role", TargetType: "staff", TargetID: id,
			Before: gs.Snapshot(map[string]any{"role": u.Role}), After: gs.Snapshot(map[string]any{"role": to})})
	})
}

// changeStaff runs change on one staff account in a transaction, with the active admins locked
// first so that two admins acting at once cannot both take away the last admin.
func (s *Service) changeStaff(ctx context.Context, id int64, change func(tx *store.Tx, u *gs.StaffUser, admins []int64) error) error {
	return s.store.Write(ctx, func(tx *store.Tx) error {
		admins, err := tx.LockActiveAdmins()
		if err != nil {
			return err
		}
		u, err := tx.StaffUser(id)
		if err != nil {
			return err
		}
		return change(tx, u, admins)
	})
}

// dummyHash is compared against when an email is unknown, so that a wrong email takes as long
// as a wrong password and does not reveal which accounts exist. It is made on first use, not
// at start-up, so commands that never sign anyone in do not pay for it.
var dummyHash = sync.OnceValue(func() string {
	h, err := argon2id.CreateHash("not a real password, only for timing", Params)
	if err != nil {
		panic("accounts: cannot hash: " + err.Error()) // only fails when crypto/rand fails
	}
	return h
})

var errBadSignIn = &gs.Error{Code: gs.EINVALID, Message: "The email address or password is not right.",
	Fields: map[string]string{"password": "The email address or password is not right."}}

// Attempt is one try at signing in.
type Attempt struct {
	Email, Password string
	// Client identifies the connecting client for throttling; it is kept in memory only,
	// never stored or logged.
	Client string
	// Device is the nonce of a device cookie this browser earned by signing in as Email
	// before, or "": a known device is throttled on its own, so that someone guessing the
	// password elsewhere cannot lock the owner out (OWASP's device-cookie scheme).
	Device string
	// Replaces is the token of a session this browser already had, which is ended: every
	// sign-in gets a fresh session.
	Replaces string
}

// SignIn checks an email and password and starts a session, returning its token.
func (s *Service) SignIn(ctx context.Context, a Attempt) (string, *gs.StaffUser, error) {
	email, password, clientKey, replaces := a.Email, a.Password, a.Client, a.Replaces
	email = strings.ToLower(strings.TrimSpace(email))
	if !gs.ValidText(email) || !gs.ValidText(password) || len(email) > 254 || len(password) > 4*gs.PasswordMax {
		return "", nil, errBadSignIn
	}
	// Every attempt spends from the account's and the client's allowance before the password
	// is checked, so a burst of parallel guesses is held to the same limit as a slow one.
	wait, refund := s.spend(email, clientKey, a.Device)
	if wait > 0 {
		e := gs.Errorf(gs.ETOOMANY, "Too many sign-in attempts. Please wait %s and try again.", humanWait(wait))
		e.RetryAfter = wait
		return "", nil, e
	}
	u, err := s.store.StaffUserByEmail(ctx, email)
	if err != nil && gs.ErrorCode(err) != gs.ENOTFOUND {
		return "", nil, err
	}
	hash := dummyHash()
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return "", nil, err
	}
	if !ok || u == nil || u.Disabled {
		// What was typed is never logged: it may be a password typed into the wrong box.
		if u != nil {
			s.log.Warn("staff sign-in failed", slog.Int64("staff_id", u.ID))
		} else {
			s.log.Warn("staff sign-in failed for an unknown address")
		}
		return "", nil, errBadSignIn
	}
	refund() // a successful sign-in costs nothing
	token := newToken()
	if err := s.store.CreateStaffSession(ctx, hashToken(token), u.ID, hashIfSet(replaces)); err != nil {
		return "", nil, err
	}
	s.log.Info("staff signed in", slog.Int64("staff_id", u.ID))
	return token, u, nil
}

// Authenticate returns the user of a live session, ending sessions that have been idle for 30
// minutes or open for 12 hours.
func (s *Service) Authenticate(ctx context.Context, token string) (*gs.StaffUser, error) {
	if token == "" {
		return nil, gs.Errorf(gs.ENOTFOUND, "Not signed in.")
	}
	h := hashToken(token)
	sess, err := s.store.StaffSessionByToken(ctx, h)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if sess.User.Disabled || now.Sub(sess.LastSeenAt) > IdleTimeout || now.Sub(sess.CreatedAt) > AbsoluteTimeout {
		_ = s.store.DeleteStaffSession(ctx, h)
		return nil, gs.Errorf(gs.ENOTFOUND, "Your session has ended. Please sign in again.")
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.store.TouchStaffSessionAt(ctx, h, now); err != nil {
			return nil, err
		}
	}
	return &sess.User, nil
}

// SignOut ends a session on the server, so a copied cookie stops working too.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteStaffSession(ctx, hashToken(token))
}

// SetupLink returns a fresh one-time token for creating the first admin when there is no active
// admin, or "" when one exists.
func (s *Service) SetupLink(ctx context.Context) (string, error) {
	n, err := s.store.CountActiveAdmins(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	token := newToken()
	if err := s.store.CreateSetupToken(ctx, hashToken(token), s.Now().Add(SetupLinkTTL)); err != nil {
		return "", err
	}
	return token, nil
}

// SetupValid reports whether a setup token may still be used.
func (s *Service) SetupValid(ctx context.Context, token string) (bool, error) {
	return s.store.SetupTokenValid(ctx, hashToken(token))
}

// CreateFirstAdmin spends a setup token to create the first admin.
func (s *Service) CreateFirstAdmin(ctx context.Context, token, email, password string) (*gs.StaffUser, error) {
	u, err := s.newUser(email, gs.RoleAdmin, password)
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		ok, err := tx.SpendSetupToken(hashToken(token))
		if err != nil {
			return err
		}
		if !ok {
			return gs.Errorf(gs.ENOTFOUND, "This setup link has been used or has expired. Restart the server to get a new one.")
		}
		n, err := tx.CountActiveAdmins()
		if err != nil {
			return err
		}
		if err := gs.CheckFirstAdmin(n); err != nil {
			return err
		}
		return insertStaff(tx, u, gs.Actor{Name: "setup link"})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// InviteTTL is how long an invitation link works.
const InviteTTL = 7 * 24 * time.Hour

// Invite creates a one-time link for a new staff member with the given email and role, who
// sets their own password with it; an expert invited from a panel joins it. It returns the
// link's token, of which only a hash is kept.
func (s *Service) Invite(ctx context.Context, email string, role gs.Role, panelID int64, by gs.Actor) (string, error) {
	email, err := gs.NormalizeEmail(email)
	if err != nil {
		return "", err
	}
	if panelID == 0 { // a panel's invitation may go to someone who then joins as that panel's expert
		if u, err := s.store.StaffUserByEmail(ctx, email); err == nil && u != nil {
			return "", gs.FieldErrorf("email", "There is already a staff account for %s.", email).Because(gs.ReasonDuplicateAccount)
		} else if err != nil && gs.ErrorCode(err) != gs.ENOTFOUND {
			return "", err
		}
	}
	token := newToken()
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertInvite(hashToken(token), store.Invite{Email: email, Role: role, PanelID: panelID}, s.Now().Add(InviteTTL)); err != nil {
			return err
		}
		return tx.Audit(gs.AuditEntry{Actor: by, Action: "staff.invite", TargetType: "staff",
			After: gs.Snapshot(map[string]any{"email": email, "role": role, "panel": panelID})})
	})
	return token, err
}

// Invitation returns the email an invitation is for, while it may still be used.
func (s *Service) Invitation(ctx context.Context, token string) (string, error) {
	inv, err := s.store.OpenInvite(ctx, hashToken(token))
	if err != nil {
		return "", err
	}
	return inv.Email, nil
}

// AcceptInvite spends an invitation: the account is created with the password chosen, and an
// invited expert joins the panel, all in one transaction.
func (s *Service) AcceptInvite(ctx context.Context, token, password string) (*gs.StaffUser, error) {
	inv, err := s.store.OpenInvite(ctx, hashToken(token))
	if err != nil {
		return nil, err
	}
	u, err := s.newUser(inv.Email, inv.Role, password)
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		spent, err := tx.SpendInvite(hashToken(token))
		if err != nil {
			return err
		}
		if err := insertStaff(tx, u, gs.Actor{Name: "invitation"}); err != nil {
			return err
		}
		if spent.PanelID != 0 {
			return tx.AddPanelExpert(spent.PanelID, u.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Sign-in allowances: from an unknown device, per account five attempts, then one a minute, and
// per client twenty, then one every twenty seconds; from a device that signed in as the
// account before, ten attempts, then one a minute, for that device alone. They refill by
// themselves, so nobody is locked out for good, and the owner's own device never waits for a
// stranger's guesses.
const (
	accountEvery = time.Minute
	accountBurst = 5
	clientEvery  = 20 * time.Second
	clientBurst  = 20
	deviceEvery  = time.Minute
	deviceBurst  = 10
	maxTracked   = 100_000
)

// spend takes one attempt from the allowances that apply, or returns how long to wait when one
// is empty (taking nothing). refund is called after a successful sign-in.
func (s *Service) spend(email, client, device string) (wait time.Duration, refund func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	if device != "" {
		key := email + "\x00" + device
		dev := s.limiter(s.devices, key, rate.Every(deviceEvery), deviceBurst, now)
		if tokens := dev.TokensAt(now); tokens < 1 {
			return time.Duration((1 - tokens) / float64(dev.Limit()) * float64(time.Second)), func() {}
		}
		dev.AllowN(now, 1)
		return 0, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			delete(s.devices, key)
		}
	}
	acct := s.limiter(s.accounts, email, rate.Every(accountEvery), accountBurst, now)
	cli := s.limiter(s.clients, client, rate.Every(clientEvery), clientBurst, now)
	for _, l := range []*rate.Limiter{acct, cli} {
		if tokens := l.TokensAt(now); tokens < 1 {
			wait = max(wait, time.Duration((1-tokens)/float64(l.Limit())*float64(time.Second)))
		}
	}
	if wait > 0 {
		return wait, func() {}
	}
	acct.AllowN(now, 1)
	cli.AllowN(now, 1)
	// Knowing the password clears the account's record of failures. The client's allowance
	// stays spent, or one valid account would let a client reset its own limit at will.
	return 0, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.accounts, email)
	}
}

func (s *Service) limiter(m map[string]*rate.Limiter, key string, r rate.Limit, burst int, now time.Time) *rate.Limiter {
	if len(m) >= maxTracked {
		// Forget only allowances that have refilled completely: they hold no information.
		for k, l := range m {
			if l.TokensAt(now) >= float64(l.Burst()) {
				delete(m, k)
			}
		}
	}
	l, ok := m[key]
	if !ok {
		l = rate.NewLimiter(r, burst)
		m[key] = l
	}
	return l
}

func humanWait(d time.Duration) gs.Msg {
	secs := int(math.Ceil(d.Seconds()))
	if secs < 60 {
		if secs == 1 {
			return gs.Msg{Format: "a second"}
		}
		return gs.Msg{Format: "%d seconds", Args: []any{secs}}
	}
	mins := (secs + 59) / 60
	if mins == 1 {
		return gs.Msg{Format: "a minute"}
	}
	return gs.Msg{Format: "%d minutes", Args: []any{mins}}
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how session and setup tokens are stored: a copy of the database alone cannot be
// replayed as a cookie or a link.
func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

func hashIfSet(t string) string {
	if t == "" {
		return ""
	}
	return hashToken(t)
}
