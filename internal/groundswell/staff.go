package groundswell

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what a staff account may do. Staff accounts are separate from anonymous participation:
// nothing links a staff member to the participant token in their browser.
type Role string

// The staff roles. Admins reach everything.
const (
	RoleAdmin     Role = "admin"
	RoleModerator Role = "moderator"
	RoleExpert    Role = "expert"
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleAdmin, RoleModerator, RoleExpert:
		return r, nil
	}
	return "", Errorf(EINVALID, "The role must be admin, moderator or expert, not %q.", s)
}

// Can reports whether a user with role r may enter an area meant for need; admins may enter all.
func (r Role) Can(need Role) bool { return r == RoleAdmin || r == need }

// StaffUser is a moderator, expert or admin.
type StaffUser struct {
	ID           int64
	Email        string
	Role         Role
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

// Password limits, in characters.
const (
	PasswordMin = 12
	PasswordMax = 128
)

// NormalizeEmail lowercases and checks an email address so that sign-in is case-insensitive.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", &Error{Code: EINVALID, Message: "Enter an email address like name@example.org.",
			Fields: map[string]string{"email": "Enter an email address like name@example.org."}}
	}
	return s, nil
}

// Actor names who did something, for the audit log.
type Actor struct {
	UserID int64 // 0 for the system or the command line
	Name   string
}

// SystemActor is used for automatic actions such as auto-hide.
var SystemActor = Actor{Name: "system"}

// AuditEntry is one row of the append-only audit log.
type AuditEntry struct {
	ID          int64
	At          time.Time
	Actor       Actor
	Action      string
	TargetType  string
	TargetID    int64
	ChallengeID int64
	Reason      string
	Before      string
	After       string
}

// AuditQuery filters the audit log.
type AuditQuery struct {
	Action  string
	ActorID int64
	Page    int
	PerPage int
}
