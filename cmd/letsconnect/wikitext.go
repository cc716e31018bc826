package main

import (
	"context"
	"fmt"
	"io"

	"gitlab.wikimedia.org/toolforge-repos/letsconnect/internal/cli"
	"gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki/wikitext"
)

func runWikitext(ctx context.Context, a *app, args []string) error {
	if len(args) != 1 || args[0] != "templates" {
		return cli.Usage(fmt.Errorf("usage: letsconnect wikitext templates < page.wikitext"))
	}
	text, err := io.ReadAll(a.Stdin)
	if err != nil {
		return err
	}
	return wikitext.WriteTemplatesJSON(a.Stdout, string(text))
}
