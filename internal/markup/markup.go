// Package markup turns the small Markdown subset participants write into safe HTML, once, on write.
// It is the only producer of gs.HTML from user text.
package markup

import (
	"bytes"
	stdhtml "html"
	"html/template"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

// Renderer holds a configured Markdown parser and sanitizer policy; it is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer: CommonMark plus autolinks and strikethrough, raw HTML escaped, the
// output passed through bluemonday's UGC policy with nofollow on every link.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true) // also adds rel=noopener
	p.AllowElements("del")
	md := goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Strikethrough),
		goldmark.WithRendererOptions(
			html.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(rawAsText{}, 100)),
		),
	)
	return &Renderer{md: md, policy: p}
}

// Render converts Markdown source to sanitized HTML.
func (r *Renderer) Render(src string) gs.HTML {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails when the writer fails; a bytes.Buffer does not.
		return gs.HTML(template.HTMLEscapeString(src))
	}
	return gs.HTML(bytes.TrimSpace(r.policy.SanitizeBytes(buf.Bytes())))
}

// rawAsText renders HTML that people type as visible text rather than dropping it, so that
// "use the <b> tag" still reads as written, and images as links. It never emits the HTML as
// markup.
type rawAsText struct{}

func (rawAsText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawInline)
	reg.Register(ast.KindHTMLBlock, renderRawBlock)
	reg.Register(ast.KindImage, renderImageAsLink)
}

// renderImageAsLink turns an image into a link to it, labelled with its alt text, so that no
// participant's post makes readers' browsers fetch a picture from elsewhere (a tracking pixel).
func renderImageAsLink(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	img := n.(*ast.Image)
	if entering {
		_, _ = w.WriteString(`<a href="`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape(img.Destination, true)))
		_, _ = w.WriteString(`">`)
		if !img.HasChildren() {
			template.HTMLEscape(w, img.Destination)
		}
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}

func renderRawInline(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := n.(*ast.RawHTML).Segments
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		template.HTMLEscape(w, s.Value(src))
	}
	return ast.WalkSkipChildren, nil
}

func renderRawBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ast.HTMLBlock)
	_, _ = w.WriteString("<p>")
	lines := b.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		template.HTMLEscape(w, s.Value(src))
	}
	if b.HasClosure() {
		template.HTMLEscape(w, b.ClosureLine.Value(src))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

var plain = bluemonday.StrictPolicy()

// Summary is rendered text as plain words, cut at a word to at most max runes with an ellipsis,
// for a link preview's description.
func Summary(h gs.HTML, max int) string {
	text := strings.Join(strings.Fields(stdhtml.UnescapeString(plain.Sanitize(string(h)))), " ")
	r := []rune(text)
	if len(r) <= max {
		return text
	}
	cut := string(r[:max-1])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// Marked turns an excerpt from the search engines, plain text with \x02 and \x03 around each
// matched word, into HTML: everything escaped, the matches in <mark>. Markdown's emphasis and
// link punctuation is dropped, since an excerpt shows words, not formatting.
func Marked(s string) gs.HTML {
	s = markdownPunct.Replace(s)
	var b strings.Builder
	open := false
	for _, part := range strings.SplitAfter(s, "") {
		switch part {
		case "\x02":
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case "\x03":
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteString(stdhtml.EscapeString(part))
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return gs.HTML(strings.Join(strings.Fields(b.String()), " "))
}

var markdownPunct = strings.NewReplacer("**", "", "__", "", "`", "", "#", "", "[", "", "](", " (")
