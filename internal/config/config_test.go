package config

import "testing"

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
