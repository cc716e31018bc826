//go:build !race

package wikitext

// raceDetector reports whether the tests run under the race detector.
const raceDetector = false
