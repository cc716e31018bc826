module gitlab.wikimedia.org/toolforge-repos/letsconnect

// The Toolforge build service's Go buildpack installs only the bot, not
// the developers' cmd/letsconnect-dev.
// +heroku install ./cmd/letsconnect

go 1.26.8

require (
	cgt.name/pkg/go-mwclient v1.3.0
	github.com/PuerkitoBio/goquery v1.13.0
	github.com/caarlos0/env/v11 v11.4.2
	github.com/chromedp/chromedp v0.23.1
	github.com/emersion/go-ical v0.0.0-20250329121855-f41e73efc392
	github.com/mattn/go-isatty v0.0.20
	github.com/rs/zerolog v1.35.1
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/andybalholm/cascadia v1.3.4 // indirect
	github.com/antonholmquist/jason v1.0.0 // indirect
	github.com/chromedp/cdproto v0.160.1 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mrjones/oauth v0.0.0-20190623134757-126b35219450 // indirect
	github.com/teambition/rrule-go v1.8.2 // indirect
	golang.org/x/net v0.58.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
