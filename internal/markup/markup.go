// Package markup turns the small Markdown subset participants write into safe HTML, once, on write.
package markup

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// HTML is sanitized markup. Only Render produces it from user text, so templates may print it
// unescaped; nothing else in Groundswell should convert a string to template.HTML.
type HTML string

// Template returns h for printing in html/template without escaping.
func (h HTML) Template() template.HTML { return template.HTML(h) } //nolint:gosec // sanitized by Render

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
		goldmark.WithRendererOptions(html.WithHardWraps()),
	)
	return &Renderer{md: md, policy: p}
}

// Render converts Markdown source to sanitized HTML.
func (r *Renderer) Render(src string) HTML {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails when the writer fails; a bytes.Buffer does not.
		return HTML(template.HTMLEscapeString(src))
	}
	return HTML(bytes.TrimSpace(r.policy.SanitizeBytes(buf.Bytes())))
}
