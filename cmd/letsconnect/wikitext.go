package main

import (
	"context"
	"fmt"
	"io"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/templates"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func runWikitext(ctx context.Context, a *app, args []string) error {
	if len(args) == 1 && args[0] == "review-script" {
		// The file to save as the review script (docs/matching.md).
		script, err := templates.ReviewScript()
		if err != nil {
			return err
		}
		_, err = io.WriteString(a.Stdout, script)
		return err
	}
	if len(args) != 1 || args[0] != "templates" {
		return cli.Usage(fmt.Errorf("usage: letsconnect wikitext templates < page.wikitext, or letsconnect wikitext review-script"))
	}
	text, err := io.ReadAll(a.Stdin)
	if err != nil {
		return err
	}
	return wikitext.WriteTemplatesJSON(a.Stdout, string(text))
}
