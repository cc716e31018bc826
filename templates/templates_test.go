package templates_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/lifecycle"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/outreach"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/proposals"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/recognition"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

type templateData struct {
	Description string `json:"description"`
	Params      map[string]struct {
		Label    string `json:"label"`
		Required bool   `json:"required"`
	} `json:"params"`
	ParamOrder []string `json:"paramOrder"`
}

var templateDataRE = regexp.MustCompile(`(?s)<templatedata>(.*?)</templatedata>`)

// Each on-wiki template ships TemplateData (VisualEditor's form) that is
// valid JSON, labels every parameter, and lists exactly the parameters
// the bot reads.
func TestOnWikiTemplatesHaveTemplateData(t *testing.T) {
	want := map[string][]string{
		"Template:" + program.TemplateRegistration:  program.RegistrationParams,
		"Template:" + program.TemplateSkill:         program.SkillParams,
		"Template:" + program.TemplateSkillCategory: program.SkillCategoryParams,
		"Template:" + program.TemplateRequest:       {"sharer", "skill", "note"},
		"Template:" + lifecycle.TemplateAnswer:      {"1", "reason", "fit", "note"},
		"Template:" + proposals.TemplateProposal:    proposals.ProposalParams,
		"Template:" + lifecycle.TemplateConnection:  lifecycle.LedgerParams,
		"Template:" + outreach.TemplateOutreach:     outreach.OutreachParams,
		"Template:" + program.TemplateEvent:         program.EventParams,
		"Template:" + program.TemplateResource:      program.ResourceParams,
		"Template:" + recognition.TemplateBadge:     recognition.BadgeParams,
		"Template:" + recognition.TemplateUserbox:   {"badge"},
	}
	for title, params := range want {
		src, err := templates.Source(title)
		if err != nil {
			t.Fatal(err)
		}
		m := templateDataRE.FindStringSubmatch(src)
		if m == nil {
			t.Errorf("%s has no <templatedata>", title)
			continue
		}
		var td templateData
		if err := json.Unmarshal([]byte(m[1]), &td); err != nil {
			t.Errorf("%s: TemplateData is not JSON: %v", title, err)
			continue
		}
		if td.Description == "" {
			t.Errorf("%s: no description", title)
		}
		if !slices.Equal(td.ParamOrder, params) {
			t.Errorf("%s: paramOrder %v, want %v", title, td.ParamOrder, params)
		}
		for _, p := range params {
			if td.Params[p].Label == "" {
				t.Errorf("%s: parameter %q has no label", title, p)
			}
		}
		// Everything the template displays is a parameter it documents.
		for _, used := range regexp.MustCompile(`\{\{\{([^|{}]+)`).FindAllStringSubmatch(src, -1) {
			if !slices.Contains(params, strings.TrimSpace(used[1])) {
				t.Errorf("%s uses {{{%s}}}, which TemplateData does not document", title, used[1])
			}
		}
	}
	if len(templates.OnWiki) != len(want) {
		t.Errorf("OnWiki has %d templates, the test knows %d", len(templates.OnWiki), len(want))
	}
}

// A problem message quoting hostile input stays text on the problems page.
func TestProblemsPageEscapesMessages(t *testing.T) {
	out, err := templates.Render("problems.wiki.tmpl", map[string]any{
		"Pages": []map[string]any{{"Page": "P", "Problems": []map[string]string{{"Field": "x", "Message": "{{Delete}} [[Category:Spam]] ~~~~"}}}},
		"Count": 1, "Prefix": "Root/Participants/", "DirectoryPage": "Root/Skills directory",
	})
	if err != nil {
		t.Fatal(err)
	}
	if ts := wikitext.Templates(out); len(ts) > 0 || strings.Contains(out, "[[Category:") || strings.Contains(out, "~~~~") {
		t.Errorf("participant text is live wikitext:\n%s", out)
	}
}
