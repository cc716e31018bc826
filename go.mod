module gitlab.wikimedia.org/toolforge-repos/letsconnect

go 1.26.8

require (
	cgt.name/pkg/go-mwclient v1.3.0 // indirect
	github.com/PuerkitoBio/goquery v1.13.0 // indirect
	github.com/andybalholm/cascadia v1.3.4 // indirect
	github.com/antonholmquist/jason v1.0.0 // indirect
	github.com/caarlos0/env/v11 v11.4.2 // indirect
	github.com/emersion/go-ical v0.0.0-20250329121855-f41e73efc392 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mrjones/oauth v0.0.0-20190623134757-126b35219450 // indirect
	github.com/rs/zerolog v1.35.1 // indirect
	github.com/teambition/rrule-go v1.8.2 // indirect
	golang.org/x/net v0.58.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
