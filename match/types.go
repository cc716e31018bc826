// Package match proposes the program's connections: it chooses, for the
// whole program at once, the set of learner–sharer connections (1:1) and
// learning groups (one sharer, 2 or 3 learners) that maximises a stated,
// documented score under hard rules, and explains each proposal.
//
// The 1:1 problem is a max-weight bipartite b-matching, solved exactly as a
// min-cost flow (package match/mcf) on the candidate graph. Groups are
// formed on top of it with fixed group slots (see groups.go); how far they
// are from the true optimum is measured on small instances in the tests.
//
// The package is pure: no wiki, no clock, no randomness beyond a seeded
// hash. The same Input gives the same Result, byte for byte.
package match

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"time"
)

// Participant is one person, as the matcher sees them. Registrations on
// the wiki become Participants in package sync/domain (MatchInput);
// `letsconnect match --in` reads them from JSON (docs/matching.md).
type Participant struct {
	ID        string   `json:"id"`        // the user name
	Languages []string `json:"languages"` // codes they can hold a conversation in
	// UTCOffset is the time zone's offset from UTC, in minutes.
	UTCOffset int `json:"utc_offset_minutes"`
	// Newcomer: in the movement for less than two years.
	Newcomer bool `json:"newcomer,omitempty"`
	// WaitingDays: how long they have waited for a connection.
	WaitingDays int `json:"waiting_days,omitempty"`
	// Capacity: connections (sessions) a month they can take as a sharer.
	// In JSON, an omitted capacity is 1, as in a registration.
	Capacity int     `json:"capacity"`
	Learn    []Skill `json:"learn,omitempty"`
	Share    []Skill `json:"share,omitempty"`
	// Formats they take part in: "1:1", "group", "clinic"; empty means
	// all. A rule: a 1:1 only between two people who take 1:1s, a group
	// only of people who all take groups.
	Formats []Format `json:"formats,omitempty"`
	Paused  bool     `json:"paused,omitempty"`
}

// UnmarshalJSON reads a participant, with the documented default for an
// omitted capacity (1) rather than Go's zero.
func (x *Participant) UnmarshalJSON(b []byte) error {
	type plain Participant
	p := plain{Capacity: 1}
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	*x = Participant(p)
	return nil
}

// strictJSON decodes b into v, refusing fields v does not have (a
// misspelt option must not be ignored).
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Skill is a skill id with the person's level.
type Skill struct {
	ID    string `json:"skill"`
	Level Level  `json:"level"`
}

// Format is a way participants meet. It is one vocabulary for
// registrations, proposals, the ledger and the matcher.
type Format string

// The formats of the program.
const (
	OneToOne Format = "1:1"
	Group    Format = "group"
	Clinic   Format = "clinic" // an event: the matcher proposes none
)

// Level is a person's level in a skill: a sharer's must be above a
// learner's. In JSON it is the number.
type Level int

// The levels, lowest first.
const (
	LevelNone Level = iota
	LevelBeginner
	LevelIntermediate
	LevelAdvanced
	LevelExpert
)

// Levels lists every level, lowest first.
var Levels = []Level{LevelNone, LevelBeginner, LevelIntermediate, LevelAdvanced, LevelExpert}

var levelNames = [...]string{"none", "beginner", "intermediate", "advanced", "expert"}

// String is the level's word, as registrations and messages write it.
func (l Level) String() string {
	if l >= 0 && int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprint(int(l))
}

// Pair is a connection that exists outside this run: one that already
// happened or was proposed (Past), one the working group approved this
// round (Approved: it takes the sharer's capacity and the learner's
// demand), or one it rejected (never proposed again).
type Pair struct {
	Sharer  string    `json:"sharer"`
	Learner string    `json:"learner"`
	Skill   string    `json:"skill,omitempty"`
	Date    time.Time `json:"date,omitempty"`
}

// Proposal is a connection proposed on the page now, awaiting a decision:
// keeping it earns the Incumbent weight, so that proposals the working
// group is reading do not reshuffle for nothing.
type Proposal struct {
	Sharer   string   `json:"sharer"`
	Learners []string `json:"learners"`
	Skill    string   `json:"skill"`
}

// Request is a participant asking for a particular sharer and skill.
type Request struct {
	Learner string `json:"learner"`
	Sharer  string `json:"sharer"`
	Skill   string `json:"skill"`
}

// Input is everything one matching run uses.
type Input struct {
	Participants []Participant `json:"participants"`
	Past         []Pair        `json:"past,omitempty"`
	Approved     []Pair        `json:"approved,omitempty"`
	Rejected     []Pair        `json:"rejected,omitempty"`
	Requests     []Request     `json:"requests,omitempty"`
	// Current are the proposals awaiting a decision on the page now.
	Current []Proposal `json:"current,omitempty"`
	Options Options    `json:"options"`
	// Now is the run's date, for the cooldown: required (Match refuses
	// the zero time; `letsconnect match` takes today when it is omitted).
	Now time.Time `json:"now"`
	// SkillNames, optional, names skills in explanations (by id).
	SkillNames map[string]string `json:"skill_names,omitempty"`
}

// Options are the rules' parameters and the score's weights. In Go, zero
// values take the defaults (DefaultOptions); in JSON, an omitted field
// takes its default and a field set to 0 is 0 (a weight can be turned
// off), so a file sets only what it changes.
type Options struct {
	// WorkdayStart and WorkdayEnd bound the local hours people meet in
	// (default 8 to 20).
	WorkdayStart int `json:"workday_start,omitempty"`
	WorkdayEnd   int `json:"workday_end,omitempty"`
	// MinOverlapHours: the common working hours a pair needs (default 2).
	MinOverlapHours int `json:"min_overlap_hours,omitempty"`
	// CooldownDays: a pair that met or was proposed within this many days
	// is not proposed again (default 90).
	CooldownDays int `json:"cooldown_days,omitempty"`
	// LearnerQuota: connections a learner gets in one run (default 1).
	LearnerQuota int `json:"learner_quota,omitempty"`
	// Candidates and RandomCandidates prune the graph: for each learner,
	// the best Candidates sharers over all their skills, plus
	// RandomCandidates others (spread over the skills) chosen by a seeded
	// hash, plus any sharer they asked for (defaults 20 and 40: at 10,000
	// participants they lose 0.097% of the optimum found with 80 and 80,
	// for 39% of its arcs; see docs/matching.md).
	Candidates       int `json:"candidates,omitempty"`
	RandomCandidates int `json:"random_candidates,omitempty"`
	// NoGroups turns group formation off.
	NoGroups bool `json:"no_groups,omitempty"`
	// GroupRounds: rounds of group-slot adjustment (default 3).
	GroupRounds int     `json:"group_rounds,omitempty"`
	Weights     Weights `json:"weights"`
	// Solver is the exact min-cost flow solver: SolverScaling (the
	// default, also written "") or SolverPaths, the one before it, kept as
	// a reference for tests and make bench. Both find an optimum; where
	// several exist they may find different ones.
	Solver Solver `json:"solver,omitempty"`

	// explicit: read from JSON, every field is as written (omitted ones
	// took their defaults then), so a 0 stays 0.
	explicit bool
}

// UnmarshalJSON reads options over the defaults: an omitted field keeps
// its default, a field written as 0 is 0.
func (o *Options) UnmarshalJSON(b []byte) error {
	type plain Options
	p := plain(DefaultOptions())
	if err := strictJSON(b, &p); err != nil {
		return err
	}
	*o = Options(p)
	o.explicit = true
	return nil
}

// Solver names an exact min-cost flow solver of match/mcf.
type Solver string

const (
	// SolverScaling is cost scaling (push-relabel with ε-scaling).
	SolverScaling Solver = "scaling"
	// SolverPaths is successive shortest paths.
	SolverPaths Solver = "paths"
)

// Weights are the score's terms; a connection's score is their sum.
type Weights struct {
	// Base is added to every connection, so that serving one more learner
	// always beats improving another's fit (default 100).
	Base int `json:"base,omitempty"`
	// LevelFit per point of fit: 3 when the sharer is one level above the
	// learner, 2 for two levels, 1 for more (default 10).
	LevelFit int `json:"level_fit,omitempty"`
	// TimeZone per common working hour, up to 8 hours (default 2).
	TimeZone int `json:"time_zone,omitempty"`
	// Newcomer: a learner in the movement for less than two years
	// (default 15).
	Newcomer int `json:"newcomer,omitempty"`
	// Waiting per 30 days waited, up to 6 months (default 8).
	Waiting int `json:"waiting,omitempty"`
	// Request: the learner asked for this sharer and skill (default 200).
	Request int `json:"request,omitempty"`
	// FirstConnection: a learner's first connection of the run over a
	// second one, when LearnerQuota > 1 (default 100).
	FirstConnection int `json:"first_connection,omitempty"`
	// LoadSpread: a sharer's j-th session of the month (counting those
	// approved in the last 30 days or under way) costs (j - 1) times this,
	// the first free, which spreads the load over sharers when capacity is
	// slack (default 5).
	LoadSpread int `json:"load_spread,omitempty"`
	// Group per learner placed in a group rather than 1:1 (default 5):
	// small, so that groups form only where they serve more learners.
	Group int `json:"group,omitempty"`
	// Incumbent per learner of a proposal kept from the page (Input.Current)
	// with the same sharer and skill (default 10): proposals the working
	// group is reading stay unless a clearly better set exists. It is not
	// part of a proposal's score (docs/matching.md, "Stability").
	Incumbent int `json:"incumbent,omitempty"`
}

// DefaultOptions are the documented defaults (docs/matching.md).
func DefaultOptions() Options {
	return Options{
		WorkdayStart: 8, WorkdayEnd: 20, MinOverlapHours: 2, CooldownDays: 90, LearnerQuota: 1,
		Candidates: 20, RandomCandidates: 40, GroupRounds: 3,
		Weights: Weights{Base: 100, LevelFit: 10, TimeZone: 2, Newcomer: 15, Waiting: 8, Request: 200,
			FirstConnection: 100, LoadSpread: 5, Group: 5, Incumbent: 10},
	}
}

// WithDefaults returns the options with every zero value replaced by its
// default, as the matcher uses them.
func (o Options) WithDefaults() Options { return o.withDefaults() }

// withDefaults fills zero options with the defaults (options read from
// JSON already have them, and keep their zeros).
func (o Options) withDefaults() Options {
	if o.explicit {
		return o
	}
	d := DefaultOptions()
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set(&o.WorkdayStart, d.WorkdayStart)
	set(&o.WorkdayEnd, d.WorkdayEnd)
	set(&o.MinOverlapHours, d.MinOverlapHours)
	set(&o.CooldownDays, d.CooldownDays)
	set(&o.LearnerQuota, d.LearnerQuota)
	set(&o.Candidates, d.Candidates)
	set(&o.RandomCandidates, d.RandomCandidates)
	set(&o.GroupRounds, d.GroupRounds)
	w, dw := &o.Weights, d.Weights
	set(&w.Base, dw.Base)
	set(&w.LevelFit, dw.LevelFit)
	set(&w.TimeZone, dw.TimeZone)
	set(&w.Newcomer, dw.Newcomer)
	set(&w.Waiting, dw.Waiting)
	set(&w.Request, dw.Request)
	set(&w.FirstConnection, dw.FirstConnection)
	set(&w.LoadSpread, dw.LoadSpread)
	set(&w.Group, dw.Group)
	set(&w.Incumbent, dw.Incumbent)
	return o
}

// Connection is one proposal: a sharer and one learner (1:1) or 2 or 3
// learners (a group) for one skill.
type Connection struct {
	Kind     Format   `json:"kind"` // OneToOne or Group
	Sharer   string   `json:"sharer"`
	Learners []string `json:"learners"`
	Skill    string   `json:"skill"`
	// SharerLevel and LearnerLevels are the levels in the skill.
	SharerLevel   Level   `json:"sharer_level"`
	LearnerLevels []Level `json:"learner_levels"`
	// Languages they have in common (all of them, for a group).
	Languages []string `json:"languages"`
	// Hours is their common working time, in UTC: [start, end) minutes
	// after midnight (end may pass 1440).
	HoursStart int `json:"hours_start_utc_minutes"`
	HoursEnd   int `json:"hours_end_utc_minutes"`
	// Score is what the connection adds to the objective before the
	// sharers' load costs: its learners' weights, the group bonus for each
	// learner of a group, and the first-connection bonus for each learner
	// for whom it is their first connection of the run (a learner's best
	// one). The scores of a result add up to Metrics.Objective plus the
	// load costs (docs/matching.md, "The score").
	Score       int    `json:"score"`
	Explanation string `json:"explanation"`
	Requested   bool   `json:"requested,omitempty"`
}

// Result is a matching run's output.
type Result struct {
	Connections []Connection `json:"connections"` // 1:1
	Groups      []Connection `json:"groups"`
	Metrics     Metrics      `json:"metrics"`
}

// MemoryLimit is the soft memory limit the letsconnect commands give Go's
// runtime (runtime/debug.SetMemoryLimit) when GOMEMLIMIT is not set:
// Toolforge gives the service's container about 1 GB. With Go's default
// collector alone the heap grows to twice its live size between
// collections, and at 100,000 participants the matcher's live heap peaks
// near 650 MB (the candidates, the 1:1 network and the solver's residual
// graph): 1.2 GB. Under the limit the collector runs sooner as the heap
// nears it, and the same match peaks at about 0.93 GB (docs/matching.md).
const MemoryLimit = 900 << 20

// LimitMemory sets MemoryLimit unless the environment sets GOMEMLIMIT
// (which wins, as Go documents). A command calls it once, first.
func LimitMemory() {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
