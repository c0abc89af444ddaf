// Package templates holds the server-rendered pages: a layout, shared partials, and one file
// per page.
package templates

import "embed"

// FS holds layout.html, partials/*.html and pages/*.html.
//
//go:embed layout.html partials/*.html pages/*.html
var FS embed.FS
