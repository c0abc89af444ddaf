package web

import (
	"net/url"
	"strconv"
)

// The site's paths are built here and nowhere else, in Go and (through templateFuncs) in the
// templates, so that a route can move in one edit.

// The fixed addresses of the staff areas.
const (
	loginPath       = "/login"
	queuePath       = "/moderation"
	panelsPath      = "/panels"
	adminPath       = "/admin"
	staffUsersPath  = "/admin/users"
	auditPath       = "/admin/audit"
	adminPanelsPath = "/admin/panels"
)

func challengePath(slug string) string { return "/c/" + url.PathEscape(slug) }

func newIdeaPath(slug string) string { return challengePath(slug) + "/ideas/new" }

func transparencyPath(slug string) string { return challengePath(slug) + "/moderation" }

func ideaPath(id int64) string { return "/ideas/" + strconv.FormatInt(id, 10) }

func commentAnchor(id int64) string { return "comment-" + strconv.FormatInt(id, 10) }

func commentPath(ideaID, id int64) string { return ideaPath(ideaID) + "#" + commentAnchor(id) }

// itemPath is the path of an idea or comment resource: /ideas/{id} or /comments/{id}.
func itemPath(kind string, id int64) string { return "/" + kind + "s/" + strconv.FormatInt(id, 10) }

func casePath(id int64) string { return "/moderation/cases/" + strconv.FormatInt(id, 10) }

func originalPath(caseID int64) string {
	return "/admin/cases/" + strconv.FormatInt(caseID, 10) + "/original"
}

func purgePath(caseID int64) string {
	return "/admin/cases/" + strconv.FormatInt(caseID, 10) + "/purge"
}

func settingsPath(slug string) string { return "/admin/challenges/" + url.PathEscape(slug) }

func staffUserPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

// withQuery appends v to path as a query string, if there is one.
func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// pathFuncs offers the path builders to the templates.
var pathFuncs = map[string]any{
	"challengeURL":     challengePath,
	"newIdeaURL":       newIdeaPath,
	"transparencyURL":  transparencyPath,
	"ideaURL":          ideaPath,
	"commentURL":       commentPath,
	"caseURL":          casePath,
	"originalURL":      originalPath,
	"purgeURL":         purgePath,
	"settingsURL":      settingsPath,
	"staffUserURL":     staffUserPath,
	"panelURL":         panelPath,
	"chairURL":         chairPath,
	"panelIdeaURL":     panelIdeaPath,
	"adminPanelURL":    adminPanelPath,
	"guideURL":         guidePath,
	"editChallengeURL": editChallengePath,
	"invitesURL":       invitesPath,
	"inviteURL":        invitePath,
}
