package groundswell

import (
	"encoding/json"
	"net/mail"
	"slices"
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

// CanModerate reports whether r reaches the moderation queue.
func (r Role) CanModerate() bool { return r.Can(RoleModerator) }

// CanReview reports whether r reaches the expert panels.
func (r Role) CanReview() bool { return r.Can(RoleExpert) }

// CanAdminister reports whether r reaches the admin pages.
func (r Role) CanAdminister() bool { return r == RoleAdmin }

// Label is the role as a person reads it.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Admin"
	case RoleModerator:
		return "Moderator"
	case RoleExpert:
		return "Expert"
	}
	return string(r)
}

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

// Staff sessions end after this long without a request, and this long after sign-in.
const (
	StaffIdleTimeout     = 30 * time.Minute
	StaffAbsoluteTimeout = 12 * time.Hour
)

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

// Snapshot renders a state compactly for an audit entry's before and after columns.
func Snapshot(v map[string]any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// CheckDisable is the rule for disabling or re-enabling target, given the ids of the active
// admins (read under lock) and who asks. It reports whether anything changes. An admin cannot
// disable their own account, a disabled admin cannot act, and the last active admin stays, or
// nobody could run the service.
func CheckDisable(target StaffUser, disable bool, activeAdmins []int64, by Actor) (bool, error) {
	if disable && target.ID == by.UserID {
		return false, Errorf(ECONFLICT, "You cannot disable your own account.").Because(ReasonSelfDisable)
	}
	if target.Disabled == disable {
		return false, nil
	}
	if disable && target.Role == RoleAdmin && len(activeAdmins) <= 1 {
		return false, Errorf(ECONFLICT, "This is the last active admin; make another admin before disabling it.").Because(ReasonLastAdmin)
	}
	if by.UserID != 0 && !slices.Contains(activeAdmins, by.UserID) {
		return false, Errorf(EFORBIDDEN, "Your admin account is no longer active.")
	}
	return true, nil
}

// CheckRoleChange decides whether target may be given role to by an admin: not when it would
// leave no active admin, and not by someone whose admin account is no longer active. It reports
// whether anything changes.
func CheckRoleChange(target StaffUser, to Role, activeAdmins []int64, by Actor) (bool, error) {
	if target.Role == to {
		return false, nil
	}
	if target.Role == RoleAdmin && !target.Disabled && len(activeAdmins) <= 1 {
		return false, Errorf(ECONFLICT, "This is the last active admin; make another admin before changing its role.").Because(ReasonLastAdmin)
	}
	if by.UserID != 0 && !slices.Contains(activeAdmins, by.UserID) {
		return false, Errorf(EFORBIDDEN, "Your admin account is no longer active.")
	}
	return true, nil
}

// CheckFirstAdmin allows the one-time setup link only while no active admin exists.
func CheckFirstAdmin(activeAdmins int) error {
	if activeAdmins == 0 {
		return nil
	}
	return Errorf(ECONFLICT, "An admin already exists; ask them to create your account.").Because(ReasonAdminExists)
}

// AuditQuery filters the audit log.
type AuditQuery struct {
	Action  string
	ActorID int64
	// Older asks for the entries before the one with that id, Newer for those after it; the log
	// pages by key, newest first.
	Older, Newer int64
	PerPage      int
}
