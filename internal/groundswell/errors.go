// Package groundswell holds the nouns of participation (challenges, ideas, comments, votes),
// their rules, and the one error type every layer speaks.
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
	EINTERNAL  Code = "internal"   // 500: our fault, never the user's
)

// Error is the application error. Message is written for the person who sees it; Fields holds
// per-field messages for a form that comes back.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	// RetryAfter tells a throttled client when to try again (ETOOMANY only).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with a formatted, user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
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

// ErrorMessage returns the user-facing message of err, hiding internal details.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}

// FieldErrors collects validation messages keyed by form field.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when nothing was added, or an EINVALID *Error carrying the fields.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some fields need attention.", Fields: f}
}
