package wikitext

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/dev/devwiki"
)

func TestCheckTitle(t *testing.T) {
	for _, c := range []struct {
		in, want string // want "" means refused
		fragment bool
	}{
		{"Let's Connect/Events/Clinic 2026", "Let's Connect/Events/Clinic 2026", false},
		{"  File:Slides_of the  clinic.pdf ", "File:Slides of the clinic.pdf", false},
		{":Category:Let's Connect", "Category:Let's Connect", false},
		{"A & B (draft), 50% done!", "A & B (draft), 50% done!", false},
		{"Kreyòl ayisyen/ཇོང་ཁ", "Kreyòl ayisyen/ཇོང་ཁ", false},
		{"Page#Slides", "Page#Slides", true},
		{"Page#Slides", "", false},
		{"#Slides", "", true},
		{"~~~~", "", false},
		{"Notes by ~~~", "", false},
		{"~~", "~~", false},
		{"[[Page]]", "", false},
		{"Page|label", "", false},
		{"{{Template}}", "", false},
		{"a<b", "", false},
		{"Tab\there", "", false},
		{"100%25 sure", "", false},
		{"AT&amp;T", "", false},
		{"&#65;", "", false},
		{"&#x41;", "", false},
		{"AT&T and more", "AT&T and more", false},
		{"AT&T; and more", "", false}, // "&T;" reads as a character reference
		{".", "", false},
		{"..", "", false},
		{"../Secret", "", false},
		{"a/./b", "", false},
		{"a/..", "", false},
		{"a.b/..c", "a.b/..c", false},
		{"Talk:", "", false},
		{"User talk: ", "", false},
		{"Unknownprefix:", "Unknownprefix:", false},
		{"File::x", "", false},
		{"", "", false},
		{" _ ", "", false},
		{":", "", false},
		{strings.Repeat("é", 127) + "a", strings.Repeat("é", 127) + "a", false}, // 255 bytes
		{strings.Repeat("é", 128), "", false},                                   // 256 bytes
		{"File:" + strings.Repeat("a", 255), "File:" + strings.Repeat("a", 255), false},
		{"bad\xffutf8", "", false},
	} {
		got, err := CheckTitle(c.in, c.fragment)
		if c.want == "" {
			if err == nil {
				t.Errorf("CheckTitle(%q) = %q; want it refused", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("CheckTitle(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestCheckUserName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"kwame_mensah", "Kwame mensah"},
		{"  Adaeze  Okafor ", "Adaeze Okafor"},
		{"Ana\u00a0María", "Ana María"},
		{"Jo/notes", ""},
		{"Jo#top", ""},
		{"User:Jo", ""},
		{"~~~~", ""},
		{"[[User:Jo]]", ""},
		{"Zero\u200bwidth", ""},
		{"", ""},
	} {
		got, err := CheckUserName(c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("CheckUserName(%q) = %q; want it refused", c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("CheckUserName(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// TestCheckTitleAgreesWithMediaWiki asks the local MediaWiki about
// generated titles (action=query reports the ones it refuses as invalid)
// and requires CheckTitle to accept exactly the ones MediaWiki accepts:
// the rules are MediaWiki's, not ours.
func TestCheckTitleAgreesWithMediaWiki(t *testing.T) {
	env := devwiki.Start(t)
	rng := rand.New(rand.NewPCG(15, 2026))
	// Pieces that meet MediaWiki's rules: separators, namespaces, the
	// characters it refuses, encodings, relative paths, tildes, lengths.
	pieces := []string{"a", "B", "é", "ཇོང་ཁ", " ", "_", "  ", ".", "..", "/", "./", "../", "~", "~~", "~~~", ":", "Talk:", "User:",
		"File:", "%", "%41", "%zz", "&", "&amp;", "&#65;", ";", "[", "]", "{", "}", "|", "<", ">", "\u00a0", "\u200e", "\u3000",
		"'", "\"", "+", "=", "?", "!", "\\", "`", "^", "@", "$", "*", "(", ")", ",", "-", "0", strings.Repeat("é", 60)}
	var titles []string
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		titles = append(titles, b.String())
	}
	client := &http.Client{Timeout: 30 * time.Second}
	disagree := 0
	for start := 0; start < len(titles); start += 50 {
		batch := titles[start:min(start+50, len(titles))]
		invalid, err := mediaWikiInvalidTitles(client, env.APIURL, batch)
		if err != nil {
			t.Fatal(err)
		}
		for _, title := range batch {
			// MediaWiki reads "#" as the start of a section; an empty
			// title before it is a link to a section of the same page,
			// which the bot refuses (it would link the generated page).
			if _, err := CheckTitle(title, true); errors.Is(err, ErrNoPage) && strings.Contains(title, "#") {
				continue
			}
			_, err := CheckTitle(title, true)
			if (err != nil) != invalid[title] {
				disagree++
				t.Errorf("%q: MediaWiki says invalid=%v, CheckTitle says %v", title, invalid[title], err)
			}
		}
	}
	if disagree > 0 {
		t.Logf("%d of %d titles judged differently", disagree, len(titles))
	}
}

// mediaWikiInvalidTitles asks action=query which titles are invalid. The
// titles go as one multi-value parameter separated by U+001F, so that a
// "|" in a title is a character and not a separator. MediaWiki decodes
// character references in a title before judging it, as it does in a
// link's target; the bot writes "&" as "&#38;" in a link (wikitext.Escape),
// so each title is sent that way, and MediaWiki judges the title itself.
func mediaWikiInvalidTitles(client *http.Client, api string, titles []string) (map[string]bool, error) {
	sent := map[string]string{}
	var encoded []string
	for _, t := range titles {
		e := strings.ReplaceAll(t, "&", "&#38;")
		sent[e] = t
		encoded = append(encoded, e)
	}
	form := url.Values{"action": {"query"}, "format": {"json"}, "formatversion": {"2"},
		"titles": {"\x1f" + strings.Join(encoded, "\x1f")}}
	resp, err := client.PostForm(api, form)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Query struct {
			Pages []struct {
				Title   string `json:"title"`
				Invalid bool   `json:"invalid"`
			} `json:"pages"`
			Interwiki []struct {
				Title string `json:"title"`
			} `json:"interwiki"`
		} `json:"query"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	invalid := map[string]bool{}
	for _, p := range out.Query.Pages {
		if p.Invalid {
			invalid[sent[p.Title]] = true // an invalid title comes back as sent
		}
	}
	// MediaWiki drops an empty title from the answer: it is invalid.
	for _, t := range titles {
		if strings.TrimSpace(strings.ReplaceAll(t, "_", " ")) == "" {
			invalid[t] = true
		}
	}
	return invalid, nil
}

func TestNormalizeUser(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Ada Lovelace", "Ada Lovelace"},
		{"Ada_Lovelace", "Ada Lovelace"},
		{"ada lovelace", "Ada lovelace"},
		{"  Ada   Lovelace ", "Ada Lovelace"},
		{"_Ada__Lovelace_", "Ada Lovelace"},
		{"émile", "Émile"},
		{"Ọlá", "Ọlá"},
		{"ọlá", "Ọlá"},
		{"", ""},
		{" _ ", ""},
	} {
		if got := NormalizeUser(tc.in); got != tc.want {
			t.Errorf("NormalizeUser(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
