package groundswell_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/groundswell/groundswell/"

// layer is how high a package of ours stands: cmd → web → services → store → domain. A package
// may import only packages that stand lower; none may import one above it or beside it.
var layer = map[string]int{
	"internal/groundswell": 0, "templates": 0, "static": 0, "migrations": 0,
	"internal/ranking": 1, "internal/markup": 1, "internal/i18n": 1, "internal/anonymity": 1, "internal/config": 1,
	"internal/ranking/sim": 2, "internal/consensus": 1, "internal/similarity": 1,
	"internal/store": 2, "internal/store/storetest": 3,
	"internal/participation": 4, "internal/moderation": 4, "internal/campaigns": 4, "internal/accounts": 4, "internal/panels": 4,
	"internal/demo": 5,
	"internal/web":  6, "internal/loadtest": 6, // loadtest drives the built binary over HTTP and imports none of ours
	"cmd/groundswell": 7, "cmd/ranking-report": 7, "cmd/benchrun": 7, "cmd/soak": 7,
}

// skips are imports that point down but jump a layer they must go through: handlers call
// services, never the store.
var skips = map[string]string{"internal/web": "internal/store"}

// goList runs `go list` over the module with a template and returns its lines.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list", "-tags", "sqlite_fts5"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestDomainImportsOnlyTheStandardLibrary(t *testing.T) {
	for _, p := range goList(t, "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".") {
		if p != "" && p != module+"internal/groundswell" {
			t.Errorf("the domain depends on %s; want the standard library only", p)
		}
	}
}

func TestLayersPointOneWay(t *testing.T) {
	lines := goList(t, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"...")
	seen := 0
	for _, line := range lines {
		fields := strings.Fields(line)
		from := strings.TrimPrefix(fields[0], module)
		rank, ok := layer[from]
		if !ok {
			t.Errorf("package %s has no place in the layers; add it to the table in this test", from)
			continue
		}
		seen++
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "gorm.io/") && from != "internal/store" {
				t.Errorf("%s imports %s: only internal/store speaks to the database", from, imp)
			}
			to, ours := strings.CutPrefix(imp, module)
			if !ours {
				continue
			}
			if skips[from] == to {
				t.Errorf("%s imports %s: it must go through the services", from, to)
			}
			if layer[to] >= rank {
				t.Errorf("%s (layer %d) imports %s (layer %d): dependencies must point down", from, rank, to, layer[to])
			}
		}
	}
	if seen < len(layer) {
		t.Errorf("go list showed %d of our packages, want all %d", seen, len(layer))
	}
}
