package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Export names one of the admins' CSV exports of a challenge.
type Export string

// The exports. None holds a participant's identity: contributions carry no author, votes come
// as counts per item, and dates are kept to the day.
const (
	ExportContributions Export = "contributions"
	ExportVotes         Export = "votes"
	ExportReports       Export = "reports"
	ExportScores        Export = "scores"
)

// Exports lists them in the order the admin page offers them.
var Exports = []Export{ExportContributions, ExportVotes, ExportReports, ExportScores}

var exportSQL = map[Export]struct {
	header []string
	query  string // every ? is the challenge's id
}{
	ExportContributions: {[]string{"kind", "id", "idea_id", "parent_id", "question_id", "theme", "title", "text", "status", "up", "down", "date"},
		"SELECT 'idea', i.id, i.id, NULL, i.question_id, COALESCE(t.slug, ''), i.title, i.body_md, i.status, i.up, i.down, i.created_at " +
			"FROM ideas i LEFT JOIN themes t ON t.id = i.theme_id WHERE i.challenge_id = ? " +
			"UNION ALL SELECT c.kind, c.id, c.idea_id, c.parent_id, i.question_id, '', '', c.body_md, c.status, c.up, c.down, c.created_at " +
			"FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE i.challenge_id = ? ORDER BY 3, 2"},
	ExportVotes: {[]string{"kind", "id", "up", "down", "impressions", "fair", "pair_chance", "comparisons"},
		"SELECT 'idea', id, up, down, impressions, fair, pair_chance, comparisons FROM ideas WHERE challenge_id = ? " +
			"UNION ALL SELECT 'comment', c.id, c.up, c.down, 0, 0, 0, 0 FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE i.challenge_id = ? ORDER BY 1 DESC, 2"},
	ExportReports: {[]string{"case_id", "target", "target_id", "reason", "date", "case_state", "outcome", "outcome_reason"},
		"SELECT mc.id, mc.target_type, mc.target_id, r.reason, r.created_at, mc.state, mc.outcome, mc.outcome_reason " +
			"FROM reports r JOIN moderation_cases mc ON mc.id = r.case_id WHERE mc.challenge_id = ? ORDER BY mc.id, r.id"},
	ExportScores: {[]string{"panel_id", "panel", "idea_id", "expert_id", "recused", "criterion", "weight", "score"},
		"SELECT p.id, p.name, r.idea_id, r.expert_id, r.recused, COALESCE(c.name, ''), COALESCE(c.weight, 0), COALESCE(s.value, 0) " +
			"FROM panel_reviews r JOIN panels p ON p.id = r.panel_id LEFT JOIN panel_scores s ON s.panel_id = r.panel_id AND s.idea_id = r.idea_id " +
			"AND s.expert_id = r.expert_id LEFT JOIN panel_criteria c ON c.id = s.criterion_id WHERE p.challenge_id = ? ORDER BY 1, 3, 4, c.position"},
}

// ExportRows streams an export of a challenge row by row, header first, without holding it in
// memory: a large challenge has hundreds of thousands of rows.
func (s *Store) ExportRows(ctx context.Context, e Export, challengeID int64, row func([]string) error) error {
	spec, ok := exportSQL[e]
	if !ok {
		return fmt.Errorf("store: no export %q", e)
	}
	if err := row(spec.header); err != nil {
		return err
	}
	args := make([]any, strings.Count(spec.query, "?"))
	for i := range args {
		args[i] = challengeID
	}
	rows, err := s.read(ctx).Raw(spec.query, args...).Rows()
	if err != nil {
		return wrap(err, "Export")
	}
	defer rows.Close()
	vals := make([]any, len(spec.header))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := make([]string, len(vals))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return wrap(err, "Export")
		}
		for i, v := range vals {
			out[i] = cell(v)
			if spec.header[i] == "date" && len(out[i]) > 10 {
				out[i] = out[i][:10] // a text timestamp from a UNION: the day only
			}
		}
		if err := row(out); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "Export")
}

// cell renders one database value for a CSV: times to the day, so no export pins down when
// someone wrote.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case string:
		return x
	case time.Time:
		return x.UTC().Format("2006-01-02")
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
