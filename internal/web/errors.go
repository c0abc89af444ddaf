package web

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
	"github.com/groundswell/groundswell/internal/i18n"
)

var errTooMany = gs.Errorf(gs.ETOOMANY, "You are sending things faster than we can take them. Please wait a moment and try again.")

// statusOf maps each error code to its one HTTP status.
var statusOf = map[gs.Code]int{
	gs.EMALFORMED:   http.StatusBadRequest,
	gs.EFORBIDDEN:   http.StatusForbidden,
	gs.ENOTFOUND:    http.StatusNotFound,
	gs.ECONFLICT:    http.StatusConflict,
	gs.EINVALID:     http.StatusUnprocessableEntity,
	gs.ETOOMANY:     http.StatusTooManyRequests,
	gs.EUNAVAILABLE: http.StatusServiceUnavailable,
	gs.EINTERNAL:    http.StatusInternalServerError,
}

// statusClientClosed is the status the access log records for a request whose client left
// before its answer (nginx's 499); the client never sees it.
const statusClientClosed = 499

// storageRetry is the Retry-After of a 503 from storage that refuses writes: long enough for an
// operator to make room, short enough that a person retrying is not kept waiting once they have.
const storageRetry = time.Minute

// retryAfter is how long a client should wait before trying err's request again, or 0.
func retryAfter(err error) time.Duration {
	ge, ok := errors.AsType[*gs.Error](err)
	switch {
	case !ok:
		return 0
	case ge.RetryAfter > 0:
		return ge.RetryAfter
	case ge.Code == gs.EUNAVAILABLE:
		return storageRetry
	}
	return 0
}

// codeOf maps statuses raised by Echo itself back to codes.
var codeOf = map[int]gs.Code{
	http.StatusBadRequest:            gs.EMALFORMED,
	http.StatusForbidden:             gs.EFORBIDDEN,
	http.StatusNotFound:              gs.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              gs.ECONFLICT,
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  gs.EMALFORMED,
	http.StatusUnprocessableEntity:   gs.EINVALID,
	http.StatusTooManyRequests:       gs.ETOOMANY,
}

// plainMessages are the words shown for errors Echo raises before a handler runs.
var plainMessages = map[int]string{
	http.StatusBadRequest:            "The request could not be read. Please check the address or form and try again.",
	http.StatusForbidden:             "You do not have permission to do that.",
	http.StatusNotFound:              "There is nothing at this address. It may have moved, or the link may be mistyped.",
	http.StatusMethodNotAllowed:      "This address does not accept that kind of request.",
	http.StatusRequestEntityTooLarge: "What you sent is larger than 1 MiB, which is more than we accept. Please shorten it.",
	http.StatusTooManyRequests:       errTooMany.Message,
}

// classify turns any error into a status, a code and words a person can act on.
func classify(err error) (int, gs.Code, string) {
	var ge *gs.Error
	if errors.As(err, &ge) {
		status, ok := statusOf[ge.Code]
		if !ok { // a code nobody mapped is our mistake, never the user's
			return http.StatusInternalServerError, gs.EINTERNAL, gs.ErrorMessage(nil)
		}
		return status, ge.Code, gs.ErrorMessage(ge)
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code, ok := codeOf[he.Code]
		if !ok {
			code = gs.EINTERNAL
		}
		msg := plainMessages[he.Code]
		if msg == "" {
			msg = gs.ErrorMessage(nil)
		}
		return he.Code, code, msg
	}
	return http.StatusInternalServerError, gs.EINTERNAL, gs.ErrorMessage(err)
}

// wantsJSON reports whether the client is calling the API, or prefers JSON to HTML in its
// Accept header (a browser's "text/html, …, */*" never does).
func wantsJSON(c echo.Context) bool {
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return true
	}
	jsonQ, htmlQ := -1.0, -1.0
	for _, part := range strings.Split(c.Request().Header.Get(echo.HeaderAccept), ",") {
		fields := strings.Split(part, ";")
		media := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, f := range fields[1:] {
			if v, ok := strings.CutPrefix(strings.TrimSpace(f), "q="); ok {
				if n, err := strconv.ParseFloat(v, 64); err == nil {
					q = n
				}
			}
		}
		switch media {
		case echo.MIMEApplicationJSON:
			jsonQ = max(jsonQ, q)
		case echo.MIMETextHTML:
			htmlQ = max(htmlQ, q)
		}
	}
	return jsonQ > 0 && jsonQ > htmlQ
}

type jsonError struct {
	Error struct {
		Code    gs.Code           `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// handleError is the one place an error becomes a response. Only internal errors are logged,
// with the request id and without anything a participant sent.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The browser went away before the answer was ready (a closed tab, a second click). That
		// is nobody's fault and nothing to alert on; nobody is left to read an answer.
		s.log.Info("request abandoned", slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			slog.String("route", c.Path()))
		c.Response().WriteHeader(statusClientClosed)
		return
	}
	status, code, msg := classify(err)
	if _, ok := errors.AsType[*gs.Error](err); ok || status >= 500 {
		msg = say(c, err)
	} else {
		msg = sayText(c, msg)
	}
	if d := retryAfter(err); d > 0 {
		c.Response().Header().Set("Retry-After", retrySeconds(d))
	}
	var ge *gs.Error
	errors.As(err, &ge)
	if code == gs.EUNAVAILABLE {
		c.Set(writesFailingKey, err) // logged by the access log, as for refused forms
	} else if status >= 500 {
		s.log.Error("internal error", slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			slog.String("route", c.Path()), slog.Any("err", err))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	if wantsJSON(c) {
		var body jsonError
		body.Error.Code, body.Error.Message = code, msg
		if ge != nil {
			body.Error.Fields = ge.Fields
		}
		_ = c.JSON(status, body)
		return
	}
	page := &errorPage{basePage: s.base(c, titleFor(status)), Status: status, Message: msg, Join: gs.ErrorReason(err) == gs.ReasonNotJoined,
		Kept: keptText(c, status)}
	if page.Join && c.Request().Method == http.MethodGet {
		page.JoinNext = c.Request().URL.RequestURI()
	}
	_ = s.render(c, status, "error", page)
}

// refusal is a refused form as the page that draws it again needs it.
type refusal struct {
	Status  int
	Message string            // for the summary at the top of the form
	Fields  map[string]string // for the messages beside each field
	Reason  gs.Reason
}

// refusedForm is the one place that decides, for any error from a form's submission, whether
// the form comes back with what was typed or an error page is shown. A browser's form comes
// back for anything the person can act on (a field to fix, a state or phase that changed, a
// permission, a pause, storage that refuses writes for now); scripts get the error as JSON, and everything else (a missing item, a
// malformed request, our own failure) is an error page.
func refusedForm(c echo.Context, err error) (refusal, bool) {
	if err == nil || wantsJSON(c) {
		return refusal{}, false
	}
	switch gs.ErrorCode(err) {
	case gs.EINVALID, gs.ECONFLICT, gs.EFORBIDDEN, gs.ETOOMANY, gs.EUNAVAILABLE:
	default:
		return refusal{}, false
	}
	status, code, _ := classify(err)
	if code == gs.EUNAVAILABLE {
		c.Set(writesFailingKey, err)
	}
	if d := retryAfter(err); d > 0 {
		c.Response().Header().Set("Retry-After", retrySeconds(d))
	}
	fields := gs.ErrorFields(err)
	if l, ok := c.Get(localeKey).(*i18n.Locale); ok {
		fields = gs.SayFields(err, l.Say)
	}
	return refusal{Status: status, Message: say(c, err), Fields: fields, Reason: gs.ErrorReason(err)}, true
}

// writesFailingKey holds, in the echo context, the storage failure that refused a request's
// write, for the access log to record as a warning: the operator needs the database's words,
// and a refused form never reaches handleError.
const writesFailingKey = "writes_failing"

// localeKey holds the request's locale in the echo context, for the error paths.
const localeKey = "locale"

// say is err's message in the interface's language.
func say(c echo.Context, err error) string {
	l, ok := c.Get(localeKey).(*i18n.Locale)
	if !ok {
		return gs.ErrorMessage(err)
	}
	return gs.Say(err, func(key string, args ...any) string { return sayMsg(l, gs.Msg{Format: key, Args: args}) })
}

// sayMsg is a message with its arguments in the interface's language; arguments that are
// messages themselves (a counted noun) are said first.
func sayMsg(l *i18n.Locale, m gs.Msg) string {
	if m.Format == "" {
		return ""
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if inner, ok := a.(gs.Msg); ok {
			a = sayMsg(l, inner)
		}
		args[i] = a
	}
	return l.Say(m.Format, args...)
}

// sayText is a message made in Go code, in the interface's language.
func sayText(c echo.Context, msg string) string {
	if l, ok := c.Get(localeKey).(*i18n.Locale); ok {
		return l.Say(msg)
	}
	return msg
}

// First returns the message for the first of fields that has one, else the summary message, so
// that a form with one message box shows the most relevant words.
func (r refusal) First(fields ...string) string {
	for _, k := range fields {
		if m, ok := r.Fields[k]; ok {
			return m
		}
	}
	return r.Message
}

// keptField is text a person typed into a form that could not be taken, shown back on the error
// page so that it is not lost.
type keptField struct{ Name, Text string }

// keptText finds the typed text of a refused form: the title, body and notes people write.
func keptText(c echo.Context, status int) []keptField {
	r := c.Request()
	if isSafeMethod(r.Method) || status == http.StatusRequestEntityTooLarge {
		return nil
	}
	if r.PostForm == nil {
		if err := r.ParseForm(); err != nil {
			return nil
		}
	}
	var out []keptField
	for _, name := range []string{"title", "body", "details"} {
		v := strings.TrimSpace(r.PostForm.Get(name))
		if v != "" && gs.ValidText(v) {
			out = append(out, keptField{Name: name, Text: v})
		}
	}
	return out
}

func titleFor(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusConflict:
		return "Not possible right now"
	case http.StatusTooManyRequests:
		return "Slow down a little"
	case http.StatusRequestEntityTooLarge:
		return "Too much text"
	case http.StatusBadRequest, http.StatusMethodNotAllowed:
		return "Request not understood"
	case http.StatusUnprocessableEntity:
		return "Please check what you entered"
	case http.StatusServiceUnavailable:
		return "Nothing could be saved"
	}
	return "Something went wrong"
}

// retrySeconds renders a wait as whole seconds for Retry-After, rounding up.
func retrySeconds(d time.Duration) string {
	return strconv.Itoa(int(math.Ceil(d.Seconds())))
}
