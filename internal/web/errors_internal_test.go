package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		code   gs.Code
	}{
		{"not found", gs.Errorf(gs.ENOTFOUND, "gone"), http.StatusNotFound, gs.ENOTFOUND},
		{"wrapped conflict", fmt.Errorf("while voting: %w", gs.Errorf(gs.ECONFLICT, "closed")), http.StatusConflict, gs.ECONFLICT},
		{"field error", gs.FieldError("title", "too short"), http.StatusUnprocessableEntity, gs.EINVALID},
		{"a code nobody mapped", &gs.Error{Code: "mystery", Message: "?"}, http.StatusInternalServerError, gs.EINTERNAL},
		{"a plain error", errors.New("disk on fire"), http.StatusInternalServerError, gs.EINTERNAL},
		{"storage refusing writes", fmt.Errorf("commit: %w", gs.Errorf(gs.EUNAVAILABLE, "full")), http.StatusServiceUnavailable, gs.EUNAVAILABLE},
		{"an internal error with its cause", gs.Internal("save", errors.New("disk on fire")), http.StatusInternalServerError, gs.EINTERNAL},
		{"Echo's 405", echo.NewHTTPError(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed, "method_not_allowed"},
		{"Echo's 413", echo.NewHTTPError(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge, "too_large"},
		{"an Echo status nobody mapped", echo.NewHTTPError(http.StatusTeapot), http.StatusTeapot, gs.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code, msg := classify(tt.err)
			if status != tt.status || code != tt.code {
				t.Errorf("got %d %s, want %d %s", status, code, tt.status, tt.code)
			}
			if msg == "" {
				t.Error("no message for people")
			}
			if status == http.StatusInternalServerError && msg != gs.ErrorMessage(nil) {
				t.Errorf("a server error says %q; want the generic words, never the cause", msg)
			}
		})
	}
}

// A browser that leaves before its answer is not an internal error: nothing is logged as one.
func TestAbandonedRequestIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx), rec)
	s.handleError(fmt.Errorf("list ideas: %w", context.Canceled), c)
	if strings.Contains(logs.String(), "internal error") || rec.Code != statusClientClosed {
		t.Errorf("an abandoned request: status %d, log %q", rec.Code, logs.String())
	}
	// The same error while the client still waits is ours, and is logged.
	logs.Reset()
	rec = httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept", "application/json")
	c = echo.New().NewContext(req, rec)
	s.handleError(fmt.Errorf("a job: %w", context.Canceled), c)
	if !strings.Contains(logs.String(), "internal error") {
		t.Errorf("a cancelled job while the client waits was not logged: %q", logs.String())
	}
}
