package groundswell

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The parts of QueueKey, from the most significant: escalation (1 bit), severity (2 bits), how
// many reports (20 bits, counted down) and the minute the case opened (27 bits, until 2225).
const (
	queueEscalated = int64(1) << 50
	queueSeverity  = int64(1) << 48
	queueReports   = int64(1) << 27
	maxQueueReport = 1<<20 - 1
	maxQueueMinute = int64(1)<<27 - 1
)

// QueueKey places a case in its list with one number, smallest first, ties broken by id, so
// that the queue pages by key on one index (state, queue_key, id) however its order is made.
// Open cases come escalated first, then by severity, then most reported, then oldest; decided
// cases come newest decision first. The store writes it with every change to a case, and
// migration 00022 holds the same formula in SQL.
func QueueKey(c Case) int64 {
	if c.State == CaseClosed {
		at := c.OpenedAt
		if c.DecidedAt != nil {
			at = *c.DecidedAt
		}
		return -at.Unix()
	}
	var k int64
	if !c.Escalated {
		k += queueEscalated
	}
	k += int64(2-min(max(c.Severity, 0), 2)) * queueSeverity
	k += int64(maxQueueReport-min(max(c.ReportCount, 0), maxQueueReport)) * queueReports
	return k + min(max(c.OpenedAt.Unix()/60, 0), maxQueueMinute)
}

// CaseKey is a case's place in its list: a page of the queue starts after or before one.
type CaseKey struct {
	Key int64
	ID  int64
}

// KeyOf is c's place in its list.
func KeyOf(c Case) CaseKey { return CaseKey{Key: QueueKey(c), ID: c.ID} }

// String writes the key for a link: "KEY_ID".
func (k CaseKey) String() string { return fmt.Sprintf("%d_%d", k.Key, k.ID) }

// ParseCaseKey reads a key that String wrote.
func ParseCaseKey(s string) (CaseKey, error) {
	keyS, idS, _ := strings.Cut(s, "_")
	key, err1 := strconv.ParseInt(keyS, 10, 64)
	id, err2 := strconv.ParseInt(idS, 10, 64)
	if err1 != nil || err2 != nil || id < 1 {
		return CaseKey{}, Errorf(EMALFORMED, "This link to a page of the queue is broken. Start again from the first page.")
	}
	return CaseKey{Key: key, ID: id}, nil
}

// WaitingShown is how far the staff menu counts waiting cases; beyond it shows "99+".
const WaitingShown = 99

// ReportGroup is the reports that gave one reason: how many, and the details their authors
// added, so that a reason given by three people is listed once.
type ReportGroup struct {
	Reason  ReportReason
	Count   int
	Details []string
}

// GroupReports gathers reports by reason, the most given reason first (ties in the order of
// ReportReasons), each with the details people wrote, in the order they wrote them.
func GroupReports(reports []Report) []ReportGroup {
	var out []ReportGroup
	at := map[ReportReason]int{}
	for _, r := range reports {
		i, ok := at[r.Reason]
		if !ok {
			i = len(out)
			at[r.Reason] = i
			out = append(out, ReportGroup{Reason: r.Reason})
		}
		out[i].Count++
		if d := strings.TrimSpace(r.Details); d != "" {
			out[i].Details = append(out[i].Details, d)
		}
	}
	slices.SortStableFunc(out, func(a, b ReportGroup) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return slices.Index(ReportReasons, a.Reason) - slices.Index(ReportReasons, b.Reason)
	})
	return out
}

// DefaultStockReasons are offered to moderators when a challenge's admins have written none.
var DefaultStockReasons = []string{
	"Fair criticism, kept",
	"Personal attack",
	"Names or identifies a person",
	"Spam or advertising",
	"Off topic for this challenge",
}

// StockReasonMax is the longest stock reason; the list holds at most StockReasonsMax of them.
const (
	StockReasonMax  = 120
	StockReasonsMax = 20
)

// StockReasons reads a challenge's list of stock reasons, one per line, blank lines and
// repeats left out; an empty list gives the default ones.
func StockReasons(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line != "" && !slices.Contains(out, line) {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return DefaultStockReasons
	}
	return out
}

// CheckStockReasons is the rule for what admins may save as stock reasons.
func CheckStockReasons(text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	reasons := StockReasons(text)
	if !ValidText(text) || len(reasons) > StockReasonsMax {
		return FieldErrorf("stock_reasons", "Give at most 20 reasons, one per line.")
	}
	for _, r := range reasons {
		if len([]rune(r)) > StockReasonMax {
			return FieldErrorf("stock_reasons", "Keep each reason to 120 characters or fewer.")
		}
	}
	return nil
}

// ComposeReason joins a stock reason and the moderator's own words into the one reason that
// is recorded and shown: either alone, or both as "stock: words".
func ComposeReason(stock, note string) string {
	stock, note = strings.TrimSpace(stock), strings.TrimSpace(note)
	switch {
	case stock == "":
		return note
	case note == "":
		return stock
	}
	return stock + ": " + note
}

// Label is a contribution's status as a moderator reads it.
func (s Status) Label() string {
	switch s {
	case StatusVisible:
		return "Visible to everyone"
	case StatusPending:
		return "Hidden until a moderator reviews it"
	case StatusHeld:
		return "Held before publishing"
	case StatusHidden:
		return "Hidden by a moderator"
	}
	return string(s)
}

// AuditActions names the actions of the audit log in plain words.
var AuditActions = map[string]string{
	"auto_hide":                 "Hidden automatically after reports",
	"case.reopen":               "Case reopened by a new report",
	"challenge.create":          "Challenge created",
	"challenge.edit":            "Challenge edited",
	"challenge.phase":           "Challenge moved to another phase",
	"challenge.settings":        "Moderation settings changed",
	"hold":                      "Held for review before publishing",
	"invite.mint":               "Invite codes made",
	"moderation.dismiss":        "Kept: reports dismissed",
	"moderation.hide":           "Hidden",
	"moderation.restore":        "Restored",
	"moderation.redact":         "Kept with an edit",
	"moderation.escalate":       "Escalated",
	"moderation.suspend":        "Posting paused",
	"moderation.discount":       "Surge votes discounted",
	"moderation.purge_original": "Original text purged",
	"panel.add_expert":          "Expert added to a panel",
	"panel.chair":               "Panel chair chosen",
	"panel.create":              "Panel created",
	"panel.longlist":            "Idea put on a panel's longlist",
	"panel.nominate":            "Idea nominated to a panel",
	"panel.shortlist":           "Idea shortlisted",
	"panel.unshortlist":         "Idea taken off the shortlist",
	"proposal.create":           "Proposal written",
	"proposal.status":           "Proposal status changed",
	"retention.purge":           "Old data deleted",
	"staff.create":              "Staff account created",
	"staff.disable":             "Staff account disabled",
	"staff.enable":              "Staff account enabled",
	"staff.invite":              "Staff member invited",
	"staff.role":                "Staff role changed",
	"surge":                     "Vote surge found",
}

// AuditActionLabel is an audit action in plain words; an action without a name is written with
// its dots and underscores as spaces.
func AuditActionLabel(action string) string {
	if l, ok := AuditActions[action]; ok {
		return l
	}
	return strings.NewReplacer(".", " ", "_", " ").Replace(action)
}

// AuditChange is one field an audited action changed, in words: "Status: Visible to everyone
// → Hidden by a moderator".
type AuditChange struct {
	Field, Before, After string
}

// AuditChanges reads an audit entry's before and after snapshots (see Snapshot) into the fields
// that differ, in alphabetical order, with statuses in plain words. A snapshot that is not an
// object is shown whole as one change.
func AuditChanges(before, after string) []AuditChange {
	b, errB := snapshotFields(before)
	a, errA := snapshotFields(after)
	if errB != nil || errA != nil {
		return []AuditChange{{Field: "", Before: before, After: after}}
	}
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []AuditChange
	for _, k := range keys {
		bv, av := b[k], a[k]
		if bv == av {
			continue
		}
		out = append(out, AuditChange{Field: strings.ReplaceAll(k, "_", " "), Before: bv, After: av})
	}
	return out
}

// snapshotFields reads a snapshot into its fields written as words; "" has none.
func snapshotFields(s string) (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, err
	}
	for k, v := range raw {
		out[k] = snapshotValue(v)
	}
	return out, nil
}

func snapshotValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case string:
		if l := Status(x).Label(); l != x {
			return l
		}
		return x
	case float64:
		return fmt.Sprint(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
