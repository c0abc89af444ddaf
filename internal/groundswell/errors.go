// Package groundswell holds the nouns of participation (challenges, ideas, comments, votes),
// their rules as pure functions, and the one error type every layer speaks. It imports only the
// standard library, so every rule here can be tested without a database or a server.
package groundswell

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error so that the web layer can choose a status in one place.
type Code string

// The error codes. Each maps to exactly one HTTP status in internal/web.
const (
	EMALFORMED Code = "malformed"  // 400: the request itself cannot be read
	EFORBIDDEN Code = "forbidden"  // 403
	ENOTFOUND  Code = "not_found"  // 404
	ECONFLICT  Code = "conflict"   // 409: not allowed in this phase or state
	EINVALID   Code = "invalid"    // 422: a field fails validation
	ETOOMANY   Code = "rate_limit" // 429
	// EUNAVAILABLE is 503: the storage refuses writes (full, read-only, failing). Nobody did
	// anything wrong, and the same request may succeed once the operator has made room.
	EUNAVAILABLE Code = "unavailable"
	EINTERNAL    Code = "internal" // 500: our fault, never the user's
)

// Reason says, for code that must react to an error, exactly why it happened. The Message says
// it to people and may be reworded at any time; the Reason is what callers branch on.
type Reason string

// The reasons callers react to. An error without one has Reason "".
const (
	ReasonPhaseClosed      Reason = "phase_closed"      // the challenge's phase does not allow this
	ReasonParentMissing    Reason = "parent_missing"    // the comment replied to does not exist on this idea
	ReasonParentHidden     Reason = "parent_hidden"     // the comment replied to was removed
	ReasonSuspended        Reason = "suspended"         // a moderator paused this participant's posting
	ReasonNoParticipant    Reason = "no_participant"    // the browser sent no participation cookie
	ReasonAlreadyReported  Reason = "already_reported"  // one report per participant per item
	ReasonAwaitingReview   Reason = "awaiting_review"   // the item is already out of public view
	ReasonVersionConflict  Reason = "version_conflict"  // another moderator acted first
	ReasonLastAdmin        Reason = "last_admin"        // the last active admin must stay
	ReasonAdminExists      Reason = "admin_exists"      // the setup link is only for the first admin
	ReasonDuplicateAccount Reason = "duplicate_account" // a staff account with this email exists
	ReasonNothingToPurge   Reason = "nothing_to_purge"  // no kept original text
	ReasonSelfDisable      Reason = "self_disable"      // an admin may not disable their own account
	ReasonNoAccount        Reason = "no_account"        // no staff account has this email yet
	ReasonReviewFirst      Reason = "review_first"      // a chair who scores sees results after their own reviews
	ReasonNotJoined        Reason = "not_joined"        // an invite-only challenge needs a redeemed code
	ReasonDiskFull         Reason = "disk_full"         // the database's storage has no room left
	ReasonReadOnly         Reason = "read_only"         // the database's storage takes no writes
	ReasonStorageFailing   Reason = "storage_failing"   // the database's storage reports I/O errors
)

// Error is the application error. Message is written for the person who sees it; Fields holds
// per-field messages for a form that comes back; Err keeps the cause of an internal error for
// the log, never for the person.
type Error struct {
	Code    Code
	Reason  Reason
	Message string
	// Format and Args are what Errorf made Message from, so that the web layer can look the
	// format up in the message catalogue and say it in the reader's language.
	Format string
	Args   []any
	Fields map[string]string
	// FieldMsgs are the Fields' messages as catalogue keys and arguments, when known.
	FieldMsgs map[string]Msg
	// RetryAfter tells a throttled client when to try again (ETOOMANY only).
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return string(e.Code) + ": " + e.Message + ": " + e.Err.Error()
	}
	return string(e.Code) + ": " + e.Message
}

// Unwrap exposes the cause, so that errors.Is and errors.As see through an *Error.
func (e *Error) Unwrap() error { return e.Err }

// Because sets the reason callers branch on and returns e, for use in a return statement.
func (e *Error) Because(r Reason) *Error {
	e.Reason = r
	return e
}

// Errorf returns an *Error with a formatted, user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// SayFields is err's field messages as say writes them.
func SayFields(err error, say func(key string, args ...any) string) map[string]string {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		if m, ok := e.FieldMsgs[k]; ok {
			out[k] = say(m.Format, m.Args...)
		} else {
			out[k] = say(v)
		}
	}
	return out
}

// Say is err's message as say writes it from a catalogue key and arguments: the format Errorf
// was given, or the message itself.
func Say(err error, say func(key string, args ...any) string) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Format != "" {
		return say(e.Format, e.Args...)
	}
	return say(ErrorMessage(err))
}

// Internal wraps a cause that is our fault: people are told something went wrong, and the log
// keeps what.
func Internal(what string, cause error) *Error {
	return &Error{Code: EINTERNAL, Message: what, Err: cause}
}

// ErrorCode returns the code of err, or EINTERNAL for anything that is not an *Error, so that
// unknown failures are never blamed on the user.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorReason returns the reason of err, or "" when it has none.
func ErrorReason(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// ErrorFields returns the per-field messages of err, if it has any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// ErrorMessage returns the user-facing message of err, hiding internal details.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}

// Msg is words for people as a message-catalogue key (a format for fmt) and its arguments, so
// that the web layer can say them in the reader's language.
type Msg struct {
	Format string
	Args   []any
}

// String is the message in English; arguments that are messages are written first.
func (m Msg) String() string {
	if len(m.Args) == 0 {
		return m.Format
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if inner, ok := a.(Msg); ok {
			a = inner.String()
		}
		args[i] = a
	}
	return fmt.Sprintf(m.Format, args...)
}

// FieldErrors collects validation messages keyed by form field.
type FieldErrors map[string]Msg

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) { f.Addf(field, msg) }

// Addf records a message made from a format and its arguments, unless the field already has one.
func (f FieldErrors) Addf(field, format string, args ...any) {
	if _, ok := f[field]; !ok {
		f[field] = Msg{Format: format, Args: args}
	}
}

// Merge adds the field messages that err carries (an EINVALID error from another check), keeping
// any message a field already has, so that a form can show every problem at once. It reports
// whether err carried any.
func (f FieldErrors) Merge(err error) bool {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return false
	}
	for field, text := range e.Fields {
		if m, ok := e.FieldMsgs[field]; ok {
			f.Addf(field, m.Format, m.Args...)
		} else {
			f.Add(field, text)
		}
	}
	return true
}

// Err returns nil when nothing was added, or an EINVALID *Error carrying the fields.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	fields := make(map[string]string, len(f))
	for k, m := range f {
		fields[k] = m.String()
	}
	return &Error{Code: EINVALID, Message: "Some fields need attention.", Fields: fields, FieldMsgs: f}
}

// FieldErrorf is an EINVALID error about one field whose message is made from a format, with the
// same words in the summary and beside the field.
func FieldErrorf(field, format string, args ...any) *Error {
	m := Msg{Format: format, Args: args}
	return &Error{Code: EINVALID, Message: m.String(), Format: format, Args: args,
		Fields: map[string]string{field: m.String()}, FieldMsgs: map[string]Msg{field: m}}
}

// FieldError is an EINVALID error about one field, with the same words in the summary and
// beside the field.
func FieldError(field, msg string) *Error {
	return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}
