package config

import (
	"testing"
	"time"
)

func TestParseCIDRs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		bad  bool
	}{
		{"", nil, false},
		{"10.0.0.0/8", []string{"10.0.0.0/8"}, false},
		{" 10.1.2.3 , 192.168.0.0/16,", []string{"10.1.2.3/32", "192.168.0.0/16"}, false},
		{"::1", []string{"::1/128"}, false},
		{"10.0.0.0/33", nil, true},
		{"proxy.example.org", nil, true},
	} {
		got, err := ParseCIDRs(c.in)
		if (err != nil) != c.bad {
			t.Errorf("%q: error %v, want bad=%v", c.in, err, c.bad)
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: %v, want %v", c.in, got, c.want)
			continue
		}
		for k := range got {
			if got[k].String() != c.want[k] {
				t.Errorf("%q: %v, want %v", c.in, got, c.want)
			}
		}
	}
}

func TestParseGrace(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{"15s", 15 * time.Second, false},
		{" 1m30s ", 90 * time.Second, false},
		{"20", 20 * time.Second, false},
		{"0", 0, false},
		{"1h", time.Hour, false},
		{"61m", 0, true},
		{"-5s", 0, true},
		{"-5", 0, true},
		{"soon", 0, true},
		{"", 0, true},
	} {
		got, err := ParseGrace(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParseGrace(%q) = %v, %v; want %v, bad=%v", c.in, got, err, c.want, c.bad)
		}
	}
	if d := Default().ShutdownGrace; d != 15*time.Second {
		t.Errorf("default grace %v, want 15s", d)
	}
}

func TestParseSync(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Sync
		bad  bool
	}{
		{"full", SyncFull, false},
		{"normal", SyncNormal, false},
		{" NORMAL ", SyncNormal, false},
		{"Full", SyncFull, false},
		{"", "", true},
		{"off", "", true},
		{"extra", "", true},
	} {
		got, err := ParseSync(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParseSync(%q) = %q, %v; want %q, bad=%v", c.in, got, err, c.want, c.bad)
		}
	}
}

func TestDefaultSyncIsFull(t *testing.T) {
	if got := Default().SQLiteSync; got != SyncFull {
		t.Errorf("default SQLite sync %q, want %q: an acknowledged write must survive a power cut", got, SyncFull)
	}
}
