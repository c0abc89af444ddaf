// Package migrations holds the versioned SQL schema for each supported database.
package migrations

import "embed"

// FS holds one folder per dialect, sqlite and postgres, each with the same numbered files.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
