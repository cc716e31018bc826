package capx

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/sync/program"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

// ID is the taxonomy id the import gives a capacity: a root's category
// id, another capacity's skill id ("capx-25").
func ID(code int) string { return fmt.Sprintf("capx-%d", code) }

// TaxonomyPage is a skills taxonomy page built from CapX's list: a
// category per root, then a skill per capacity under it, depth first (a
// capacity follows its parent), each with its code (capx=), its names in
// every language the list has (name-pt) and its descriptions. The notes
// say what it could not take as written: two capacities with one English
// name (the second's name gets its code; participants tell skills apart
// by name).
func TaxonomyPage(l *List, source string) (string, []Note) {
	var notes []Note
	var b strings.Builder
	fmt.Fprintf(&b, "The skills participants can name in their [[Template:%s|registration]], imported from the Capacity Exchange's capacity directory (%s): "+
		"a category per CapX root, a skill per capacity, each with its CapX code. The working group keeps this list from now on; the bot reads it. "+
		"Never change an id once people use it.\n", program.TemplateRegistration, wikitext.EscapeArg(source))
	used := map[string]int{}
	name := func(c Capacity) string {
		n := c.Name()
		k := program.TextKey(n)
		if other, dup := used[k]; dup {
			renamed := fmt.Sprintf("%s (CapX %d)", n, c.Code)
			notes = append(notes, Note{Code: c.Code, Fixed: true, Message: fmt.Sprintf("its English name %q is capacity %d's too; its skill is named %q", n, other, renamed)})
			n, k = renamed, program.TextKey(renamed)
		}
		used[k] = c.Code
		return n
	}
	for _, root := range l.Roots() {
		fmt.Fprintf(&b, "\n{{%s|id=%s|name=%s%s}}\n", program.TemplateSkillCategory, ID(root.Code), wikitext.EscapeArg(root.Name()), translated(root.Names, "name"))
		b.WriteString("{| class=\"wikitable sortable\"\n! Id !! Skill !! Description !! Other names\n")
		var walk func(code int)
		walk = func(code int) {
			for _, c := range l.Children(code) {
				fmt.Fprintf(&b, "{{%s|id=%s|category=%s|capx=%d|name=%s", program.TemplateSkill, ID(c.Code), ID(root.Code), c.Code, wikitext.EscapeArg(name(c)))
				if d := c.Descriptions["en"]; d != "" {
					fmt.Fprintf(&b, "|description=%s", wikitext.EscapeArg(d))
				}
				b.WriteString(translated(c.Names, "name") + translated(c.Descriptions, "description") + "}}\n")
				walk(c.Code)
			}
		}
		walk(root.Code)
		b.WriteString("|}\n")
	}
	return b.String(), notes
}

// translated is the name-CODE (or description-CODE) parameters of the
// languages other than English, in code order; raw addresses left out.
func translated(texts map[string]string, field string) string {
	var b strings.Builder
	for _, lang := range slices.Sorted(maps.Keys(texts)) {
		if t := texts[lang]; lang != "en" && t != "" && !rawURL(t) {
			fmt.Fprintf(&b, "|%s-%s=%s", field, lang, wikitext.EscapeArg(t))
		}
	}
	return b.String()
}
