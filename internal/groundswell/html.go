package groundswell

import "html/template"

// HTML is sanitized markup. Only the markup package produces it from user text, so templates may
// print it unescaped; nothing else in Groundswell should convert a string to template.HTML. It is
// declared here, in the domain, so that the nouns that carry rendered text need no renderer.
type HTML string

// Template returns h for printing in html/template without escaping.
func (h HTML) Template() template.HTML { return template.HTML(h) } //nolint:gosec // sanitized by markup.Render
