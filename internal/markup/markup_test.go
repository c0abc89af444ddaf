package markup

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	r := New()
	tests := []struct {
		name, in      string
		want, wantNot []string
	}{
		{"emphasis", "*rota* and **breaks**", []string{"<em>rota</em>", "<strong>breaks</strong>"}, nil},
		{"raw html block is text", `<script>alert(1)</script>`, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script"}},
		{"inline html is text", `use the <b onclick="x()">bold</b> tag`, []string{"use the &lt;b onclick=", "&lt;/b&gt; tag"}, []string{"<b"}},
		{"link gets nofollow noopener", "[guide](https://example.org/a)", []string{`rel="nofollow noopener"`, `href="https://example.org/a"`}, nil},
		{"autolink", "see https://example.org", []string{`<a href="https://example.org"`, "nofollow"}, nil},
		{"javascript link dropped", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"list", "- one\n- two", []string{"<ul>", "<li>one</li>"}, nil},
		{"empty", "", nil, []string{"<"}},
		{"image becomes a link", "![rota chart](https://example.org/p.png)", []string{`href="https://example.org/p.png"`, ">rota chart</a>"}, []string{"<img"}},
		{"raw img tag is text", `<img src="https://example.org/x.png">`, []string{"&lt;img"}, []string{"<img"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(r.Render(tt.in))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", tt.in, got, w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want no %q", tt.in, got, w)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	r := New()
	for _, c := range []struct {
		src  string
		max  int
		want string
	}{
		{"Short and **plain**.", 100, "Short and plain."},
		{"Fish & chips <script>alert(1)</script> on\n\nFridays", 100, "Fish & chips <script>alert(1)</script> on Fridays"},
		{"One two three four five six seven", 20, "One two three four…"},
		{"Averyveryverylongwordwithoutanyspaces", 10, "Averyvery…"},
		{"", 10, ""},
	} {
		if got := Summary(r.Render(c.src), c.max); got != c.want {
			t.Errorf("Summary(%q, %d) = %q, want %q", c.src, c.max, got, c.want)
		}
	}
}

func TestMarked(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a \x02rota\x03 that works", "a <mark>rota</mark> that works"},
		{"<script>\x02x\x03</script>", "&lt;script&gt;<mark>x</mark>&lt;/script&gt;"},
		{"**bold** \x02word\x03 and [a link](http://x)", "bold <mark>word</mark> and a link (http://x)"},
		{"\x02unclosed", "<mark>unclosed</mark>"},
		{"stray \x03 end", "stray end"},
		{"line\nbreaks\n\nkept as spaces", "line breaks kept as spaces"},
	} {
		if got := string(Marked(tc.in)); got != tc.want {
			t.Errorf("Marked(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
