package recognition

// BadgeState is badgeState, for the external tests.
var BadgeState = badgeState
