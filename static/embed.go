// Package static holds the stylesheet and the small script that enhances pages which already
// work without it.
package static

import "embed"

// FS holds the files served under /static/.
//
//go:embed *.css *.js *.svg
var FS embed.FS
