package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

type staffRow struct {
	ID           int64 `gorm:"primaryKey"`
	Email        string
	Role         string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

func (staffRow) TableName() string { return "staff_users" }

func (r staffRow) domain() gs.StaffUser {
	return gs.StaffUser{ID: r.ID, Email: r.Email, Role: gs.Role(r.Role), PasswordHash: r.PasswordHash,
		Disabled: r.Disabled, CreatedAt: r.CreatedAt}
}

type auditRow struct {
	ID          int64 `gorm:"primaryKey"`
	At          time.Time
	ActorID     *int64
	Actor       string
	Action      string
	TargetType  string
	TargetID    *int64
	ChallengeID *int64
	Reason      string
	Before      string
	After       string
}

func (auditRow) TableName() string { return "audit_log" }

func nullable(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// InsertStaff adds a staff account, filling in its id; an email already in use is a conflict.
func (tx *Tx) InsertStaff(u *gs.StaffUser) error {
	row := staffRow{Email: u.Email, Role: string(u.Role), PasswordHash: u.PasswordHash, CreatedAt: tx.Now()}
	if err := tx.db.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return gs.Errorf(gs.ECONFLICT, "There is already a staff account for %s.", u.Email).Because(gs.ReasonDuplicateAccount)
		}
		return wrap(err, "Staff account")
	}
	*u = row.domain()
	return nil
}

// StaffUserByEmail finds a staff account by its normalized email.
func (s *Store) StaffUserByEmail(ctx context.Context, email string) (*gs.StaffUser, error) {
	var row staffRow
	if err := s.read(ctx).Where("email = ?", email).Take(&row).Error; err != nil {
		return nil, wrap(err, "Staff account")
	}
	u := row.domain()
	return &u, nil
}

// StaffUsers lists every staff account, oldest first.
func (s *Store) StaffUsers(ctx context.Context) ([]gs.StaffUser, error) {
	var rows []staffRow
	if err := s.read(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "Staff accounts")
	}
	out := make([]gs.StaffUser, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CountActiveAdmins counts admins who are not disabled.
func (s *Store) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int64
	err := s.read(ctx).Model(&staffRow{}).Where("role = ? AND disabled = ?", string(gs.RoleAdmin), false).Count(&n).Error
	return int(n), wrap(err, "Staff accounts")
}

// LockActiveAdmins returns the ids of the admins who are not disabled, locking their rows, so
// that two admins disabling each other at once cannot both succeed and leave nobody in charge.
func (tx *Tx) LockActiveAdmins() ([]int64, error) {
	var admins []int64
	err := tx.db.Raw("SELECT id FROM staff_users WHERE role = ? AND disabled = ? ORDER BY id"+tx.s.lockRows("staff_users"),
		string(gs.RoleAdmin), false).Scan(&admins).Error
	return admins, wrap(err, "Staff accounts")
}

// StaffUser returns one staff account inside a transaction.
func (tx *Tx) StaffUser(id int64) (*gs.StaffUser, error) {
	var row staffRow
	if err := tx.db.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, wrap(err, "Staff account")
	}
	u := row.domain()
	return &u, nil
}

// SetStaffDisabled disables or re-enables an account; disabling also ends its sessions.
func (tx *Tx) SetStaffDisabled(id int64, disabled bool) error {
	if err := tx.db.Model(&staffRow{}).Where("id = ?", id).Update("disabled", disabled).Error; err != nil {
		return wrap(err, "Staff account")
	}
	if !disabled {
		return nil
	}
	return wrap(tx.db.Exec("DELETE FROM staff_sessions WHERE user_id = ?", id).Error, "Staff sessions")
}

// SetStaffRole gives a staff account another role and ends its sessions, so that the new role
// applies from the next sign-in.
func (tx *Tx) SetStaffRole(id int64, role gs.Role) error {
	if err := tx.db.Model(&staffRow{}).Where("id = ?", id).Update("role", string(role)).Error; err != nil {
		return wrap(err, "Staff account")
	}
	return wrap(tx.db.Exec("DELETE FROM staff_sessions WHERE user_id = ?", id).Error, "Staff sessions")
}

// StaffSession is a signed-in staff member's session as the server keeps it.
type StaffSession struct {
	User       gs.StaffUser
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// CreateStaffSession starts a session, ending the one it replaces (if any) in the same step.
func (s *Store) CreateStaffSession(ctx context.Context, tokenHash string, userID int64, replaces string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if replaces != "" {
			if err := tx.Exec("DELETE FROM staff_sessions WHERE token_hash = ?", replaces).Error; err != nil {
				return wrap(err, "Staff session")
			}
		}
		now := s.now()
		return wrap(tx.Exec("INSERT INTO staff_sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
			tokenHash, userID, now, now).Error, "Staff session")
	})
}

// StaffSessionByToken returns the session and its user, or ENOTFOUND.
func (s *Store) StaffSessionByToken(ctx context.Context, tokenHash string) (*StaffSession, error) {
	var row struct {
		UserID           int64
		SessionCreatedAt time.Time
		LastSeenAt       time.Time
	}
	err := s.read(ctx).Raw("SELECT user_id, created_at AS session_created_at, last_seen_at FROM staff_sessions WHERE token_hash = ?",
		tokenHash).Scan(&row).Error
	if err != nil {
		return nil, wrap(err, "Staff session")
	}
	if row.UserID == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "Your session has ended.")
	}
	var u staffRow
	if err := s.read(ctx).Where("id = ?", row.UserID).Take(&u).Error; err != nil {
		return nil, wrap(err, "Staff account")
	}
	return &StaffSession{User: u.domain(), CreatedAt: row.SessionCreatedAt, LastSeenAt: row.LastSeenAt}, nil
}

// TouchStaffSessionAt records activity at now so the idle timeout starts again.
func (s *Store) TouchStaffSessionAt(ctx context.Context, tokenHash string, now time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return wrap(tx.Exec("UPDATE staff_sessions SET last_seen_at = ? WHERE token_hash = ?", now.UTC(), tokenHash).Error, "Staff session")
	})
}

// DeleteStaffSession ends a session.
func (s *Store) DeleteStaffSession(ctx context.Context, tokenHash string) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return wrap(tx.Exec("DELETE FROM staff_sessions WHERE token_hash = ?", tokenHash).Error, "Staff session")
	})
}

// CreateSetupToken stores a new one-time setup link, replacing any unused ones.
func (s *Store) CreateSetupToken(ctx context.Context, tokenHash string, expires time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM setup_tokens WHERE used_at IS NULL").Error; err != nil {
			return wrap(err, "Setup link")
		}
		return wrap(tx.Exec("INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)", tokenHash, expires.UTC()).Error, "Setup link")
	})
}

// SetupTokenValid reports whether a setup link may still be used.
func (s *Store) SetupTokenValid(ctx context.Context, tokenHash string) (bool, error) {
	var n int64
	err := s.read(ctx).Table("setup_tokens").Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", tokenHash, s.now()).Count(&n).Error
	return n == 1, wrap(err, "Setup link")
}

// SpendSetupToken marks a setup link used, reporting false when it was already used or has
// expired.
func (tx *Tx) SpendSetupToken(tokenHash string) (bool, error) {
	now := tx.Now()
	res := tx.db.Exec("UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", now, tokenHash, now)
	if res.Error != nil {
		return false, wrap(res.Error, "Setup link")
	}
	return res.RowsAffected == 1, nil
}

// CountActiveAdmins counts admins who are not disabled, inside a transaction.
func (tx *Tx) CountActiveAdmins() (int, error) {
	var n int64
	err := tx.db.Model(&staffRow{}).Where("role = ? AND disabled = ?", string(gs.RoleAdmin), false).Count(&n).Error
	return int(n), wrap(err, "Staff accounts")
}

// AuditLog returns a page of the audit log, newest first, paged by id on audit_log's primary key
// (or audit_log_action_id, audit_log_actor_id when filtered), never counting or skipping rows.
// more says whether there are further entries in the direction asked for; a page of newer
// entries that reaches the newest is the first page.
func (s *Store) AuditLog(ctx context.Context, q gs.AuditQuery) (entries []gs.AuditEntry, more bool, err error) {
	db := s.read(ctx).Model(&auditRow{})
	if q.Action != "" {
		db = db.Where("action = ?", q.Action)
	}
	if q.ActorID != 0 {
		db = db.Where("actor_id = ?", q.ActorID)
	}
	per := max(q.PerPage, 1)
	order := "id DESC"
	switch {
	case q.Newer != 0:
		db, order = db.Where("id > ?", q.Newer), "id ASC"
	case q.Older != 0:
		db = db.Where("id < ?", q.Older)
	}
	var rows []auditRow
	if err := db.Order(order).Limit(per + 1).Find(&rows).Error; err != nil {
		return nil, false, wrap(err, "Audit log")
	}
	more = len(rows) > per
	rows = rows[:min(len(rows), per)]
	if q.Newer != 0 {
		if !more {
			return s.AuditLog(ctx, gs.AuditQuery{Action: q.Action, ActorID: q.ActorID, PerPage: q.PerPage})
		}
		slices.Reverse(rows)
	}
	out := make([]gs.AuditEntry, len(rows))
	for i, r := range rows {
		e := gs.AuditEntry{ID: r.ID, At: r.At, Actor: gs.Actor{Name: r.Actor}, Action: r.Action, TargetType: r.TargetType,
			Reason: r.Reason, Before: r.Before, After: r.After}
		if r.ActorID != nil {
			e.Actor.UserID = *r.ActorID
		}
		if r.TargetID != nil {
			e.TargetID = *r.TargetID
		}
		if r.ChallengeID != nil {
			e.ChallengeID = *r.ChallengeID
		}
		out[i] = e
	}
	return out, more, nil
}

// AuditActions lists the distinct actions in the log, for the filter.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var out []string
	err := s.read(ctx).Model(&auditRow{}).Distinct("action").Order("action").Pluck("action", &out).Error
	return out, wrap(err, "Audit log")
}

// Invite is a pending invitation to a staff account.
type Invite struct {
	Email   string
	Role    gs.Role
	PanelID int64 // the panel the new expert joins, or 0
}

// InsertInvite stores an invitation under the hash of its token.
func (tx *Tx) InsertInvite(tokenHash string, inv Invite, expires time.Time) error {
	var panel *int64
	if inv.PanelID != 0 {
		panel = &inv.PanelID
	}
	return wrap(tx.db.Exec("INSERT INTO staff_invites (token_hash, email, role, panel_id, expires_at) VALUES (?, ?, ?, ?, ?)",
		tokenHash, inv.Email, string(inv.Role), panel, expires.UTC()).Error, "Invitation")
}

// OpenInvite returns the invitation behind a token hash while it may still be used.
func (s *Store) OpenInvite(ctx context.Context, tokenHash string) (*Invite, error) {
	var row struct {
		Email   string
		Role    string
		PanelID *int64
	}
	err := s.read(ctx).Raw("SELECT email, role, panel_id FROM staff_invites WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
		tokenHash, s.now()).Scan(&row).Error
	if err != nil {
		return nil, wrap(err, "Invitation")
	}
	if row.Email == "" {
		return nil, gs.Errorf(gs.ENOTFOUND, "This invitation has been used or has expired. Ask the admin who sent it for a new one.")
	}
	inv := &Invite{Email: row.Email, Role: gs.Role(row.Role)}
	if row.PanelID != nil {
		inv.PanelID = *row.PanelID
	}
	return inv, nil
}

// SpendInvite marks an invitation used inside a transaction, and returns it; a used or
// expired one is not found.
func (tx *Tx) SpendInvite(tokenHash string) (*Invite, error) {
	inv, err := tx.s.OpenInvite(tx.Within(context.Background()), tokenHash)
	if err != nil {
		return nil, err
	}
	res := tx.db.Exec("UPDATE staff_invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", tx.Now(), tokenHash)
	if res.Error != nil {
		return nil, wrap(res.Error, "Invitation")
	}
	if res.RowsAffected != 1 {
		return nil, gs.Errorf(gs.ENOTFOUND, "This invitation has been used or has expired. Ask the admin who sent it for a new one.")
	}
	return inv, nil
}
