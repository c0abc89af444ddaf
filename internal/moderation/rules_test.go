package moderation

import (
	"strings"
	"testing"
	"time"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// wantFields fails t unless err is nil (want empty) or an EINVALID error with exactly want.
func wantFields(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got error %v (fields %v), want none", err, gs.ErrorFields(err))
		}
		return
	}
	if got := gs.ErrorCode(err); got != gs.EINVALID {
		t.Fatalf("code: got %q, want %q (%v)", got, gs.EINVALID, err)
	}
	got := gs.ErrorFields(err)
	if len(got) != len(want) {
		t.Errorf("fields: got %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("field %q: got %q, want %q", k, got[k], w)
		}
	}
}

func TestCheckReport(t *testing.T) {
	const (
		noReason   = "Choose why you are reporting this."
		unreadable = "The details contain characters we cannot read."
		tooLong    = "The details are too long: use at most 500 characters."
	)
	tests := []struct {
		name    string
		reason  string
		details string
		want    string // details after trimming
		fields  map[string]string
	}{
		{"spam without details", "spam", "", "", nil},
		{"offensive", "offensive", "", "", nil},
		{"personal data", "personal_data", "", "", nil},
		{"safety", "safety", "", "", nil},
		{"off topic", "off_topic", "", "", nil},
		{"details trimmed", "spam", "  see the link \n", "see the link", nil},
		{"line breaks inside details are fine", "spam", "one\ntwo", "one\ntwo", nil},
		{"empty reason", "", "", "", map[string]string{"reason": noReason}},
		{"unknown reason", "rude", "", "", map[string]string{"reason": noReason}},
		{"reason is case-sensitive", "Spam", "", "", map[string]string{"reason": noReason}},
		{"invalid UTF-8 in details", "spam", "bad \xff byte", "bad \xff byte", map[string]string{"details": unreadable}},
		{"NUL in details", "spam", "a\x00b", "a\x00b", map[string]string{"details": unreadable}},
		{"500 two-byte runes fit", "spam", strings.Repeat("é", 500), strings.Repeat("é", 500), nil},
		{"501 runes are too long", "spam", strings.Repeat("é", 501), strings.Repeat("é", 501), map[string]string{"details": tooLong}},
		{"spaces do not count", "spam", "  " + strings.Repeat("a", 500) + "  ", strings.Repeat("a", 500), nil},
		{"reason and details both wrong", "", "\x1b", "\x1b", map[string]string{"reason": noReason, "details": unreadable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, details, err := checkReport(tt.reason, tt.details)
			wantFields(t, err, tt.fields)
			if r != gs.ReportReason(tt.reason) {
				t.Errorf("reason: got %q, want %q", r, tt.reason)
			}
			if details != tt.want {
				t.Errorf("details: got %q, want %q", details, tt.want)
			}
		})
	}
}

func TestCheckCommand(t *testing.T) {
	const (
		reasonLong = "Keep the reason to 300 characters or fewer."
		hideWhy    = "Say why you are hiding this: the author and the transparency report will see the reason."
		redactText = "Give the edited text (up to 5,000 characters)."
		duration   = "Choose how long to pause this person's posting."
		suspendWhy = "Say why: the participant will see the reason."
	)
	day := 24 * time.Hour
	cmd := func(a gs.ModerationAction, reason string) gs.ModerationCommand {
		return gs.ModerationCommand{CaseID: 1, Version: 2, Action: a, Reason: reason}
	}
	redact := func(text string) gs.ModerationCommand {
		c := cmd(gs.ActRedact, "")
		c.Text = text
		return c
	}
	suspend := func(d time.Duration, reason string) gs.ModerationCommand {
		c := cmd(gs.ActSuspend, reason)
		c.Duration = d
		return c
	}
	tests := []struct {
		name   string
		cmd    gs.ModerationCommand
		reason string // after trimming
		text   string // after trimming
		fields map[string]string
	}{
		{"dismiss needs no reason", cmd(gs.ActDismiss, ""), "", "", nil},
		{"restore needs no reason", cmd(gs.ActRestore, ""), "", "", nil},
		{"escalate needs no reason", cmd(gs.ActEscalate, ""), "", "", nil},
		{"hide with a reason", cmd(gs.ActHide, "  insults  "), "insults", "", nil},
		{"hide without a reason", cmd(gs.ActHide, ""), "", "", map[string]string{"reason": hideWhy}},
		{"hide with only spaces", cmd(gs.ActHide, " \t "), "", "", map[string]string{"reason": hideWhy}},
		{"300 two-byte runes of reason fit", cmd(gs.ActHide, strings.Repeat("é", 300)), strings.Repeat("é", 300), "", nil},
		{"301 runes of reason are too long", cmd(gs.ActDismiss, strings.Repeat("é", 301)), strings.Repeat("é", 301), "",
			map[string]string{"reason": reasonLong}},
		{"control character in the reason", cmd(gs.ActDismiss, "a\x07b"), "a\x07b", "", map[string]string{"reason": reasonLong}},
		{"redact with text", redact("  [removed] rest of it "), "", "[removed] rest of it", nil},
		{"redact without text", redact(""), "", "", map[string]string{"text": redactText}},
		{"redact with only spaces", redact(" \n "), "", "", map[string]string{"text": redactText}},
		{"redact with 5000 runes", redact(strings.Repeat("é", 5000)), "", strings.Repeat("é", 5000), nil},
		{"redact with 5001 runes", redact(strings.Repeat("é", 5001)), "", strings.Repeat("é", 5001), map[string]string{"text": redactText}},
		{"redact with NUL", redact("a\x00b"), "", "a\x00b", map[string]string{"text": redactText}},
		{"redact with invalid UTF-8", redact("a\xffb"), "", "a\xffb", map[string]string{"text": redactText}},
		{"suspend for a day", suspend(day, "spam"), "spam", "", nil},
		{"suspend for 7 days", suspend(7*day, "spam"), "spam", "", nil},
		{"suspend for 30 days", suspend(30*day, "spam"), "spam", "", nil},
		{"suspend for no time", suspend(0, "spam"), "spam", "", map[string]string{"duration": duration}},
		{"suspend for 2 days", suspend(2*day, "spam"), "spam", "", map[string]string{"duration": duration}},
		{"suspend for 1 day less a second", suspend(day-time.Second, "spam"), "spam", "", map[string]string{"duration": duration}},
		{"suspend without a reason", suspend(day, " "), "", "", map[string]string{"reason": suspendWhy}},
		{"suspend with nothing", suspend(0, ""), "", "", map[string]string{"duration": duration, "reason": suspendWhy}},
		{"a duration on another action is ignored", gs.ModerationCommand{Action: gs.ActDismiss, Duration: 2 * day}, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := checkCommand(tt.cmd)
			wantFields(t, err, tt.fields)
			if got.Reason != tt.reason {
				t.Errorf("reason: got %q, want %q", got.Reason, tt.reason)
			}
			if got.Text != tt.text {
				t.Errorf("text: got %q, want %q", got.Text, tt.text)
			}
			if got.CaseID != tt.cmd.CaseID || got.Version != tt.cmd.Version || got.Action != tt.cmd.Action || got.Duration != tt.cmd.Duration {
				t.Errorf("got %+v, want case, version, action and duration kept from %+v", got, tt.cmd)
			}
		})
	}

	t.Run("unknown action", func(t *testing.T) {
		for _, a := range []gs.ModerationAction{"", "delete", "Hide"} {
			_, err := checkCommand(gs.ModerationCommand{Action: a, Reason: "x"})
			if got := gs.ErrorCode(err); got != gs.EINVALID {
				t.Errorf("action %q: code got %q, want %q", a, got, gs.EINVALID)
			}
			if got := gs.ErrorFields(err); got != nil {
				t.Errorf("action %q: fields got %v, want none", a, got)
			}
		}
	})
}

// TestSuspensionChoices pins the lengths the suspend form offers, which checkCommand accepts.
func TestSuspensionChoices(t *testing.T) {
	want := []struct {
		label string
		d     time.Duration
	}{{"1 day", 24 * time.Hour}, {"7 days", 168 * time.Hour}, {"30 days", 720 * time.Hour}}
	if len(SuspensionChoices) != len(want) {
		t.Fatalf("got %d choices, want %d", len(SuspensionChoices), len(want))
	}
	for i, w := range want {
		if c := SuspensionChoices[i]; c.Label != w.label || c.Duration != w.d {
			t.Errorf("choice %d: got %q %v, want %q %v", i, c.Label, c.Duration, w.label, w.d)
		}
	}
}
