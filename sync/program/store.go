package program

import "gitlab.wikimedia.org/toolforge-repos/letsconnect/wiki"

// Key names one behaviour's own data in a State: what its reads found
// (its page as read, its rows). The behaviour's package holds the key
// unexported, and exports what others may read of it as functions (such
// as outreach.Rows), so that who reads what stays in the code map.
type Key[T any] struct{ name string }

// NewKey makes a key; name says whose data it is, for people reading a
// State in a debugger.
func NewKey[T any](name string) *Key[T] { return &Key[T]{name: name} }

// Get returns the key's value in st: T's zero value when nothing was set
// (the behaviour read nothing, or is off).
func (k *Key[T]) Get(st *State) T {
	v, _ := st.store[k].(T)
	return v
}

// Set sets the key's value in st.
func (k *Key[T]) Set(st *State, v T) {
	if st.store == nil {
		st.store = map[any]any{}
	}
	st.store[k] = v
}

// String is the key's name.
func (k *Key[T]) String() string { return k.name }

// Copy returns a copy of st whose own data (under each Key) can be set
// without changing st's: the shared nouns' slices and each key's value
// are shared, as in a copy of a struct.
func (st *State) Copy() *State {
	c := *st
	c.byUser = nil
	c.store = make(map[any]any, len(st.store))
	for k, v := range st.store {
		c.store[k] = v
	}
	return &c
}

// PageRows is a behaviour's record page as read (Page nil: not read) and
// its rows: the invitations page, the Recognition page.
type PageRows[R any] struct {
	Page *wiki.Page
	Rows []R
}

// RowsKey names a behaviour's record page and rows in a State.
type RowsKey[R any] struct{ key *Key[*PageRows[R]] }

// NewRowsKey makes a key for a record page's rows (name as NewKey's).
func NewRowsKey[R any](name string) RowsKey[R] {
	return RowsKey[R]{NewKey[*PageRows[R]](name)}
}

// Set keeps the page as read and its rows.
func (k RowsKey[R]) Set(st *State, page *wiki.Page, rows []R) {
	k.key.Set(st, &PageRows[R]{Page: page, Rows: rows})
}

// Page returns the page as read (nil: none).
func (k RowsKey[R]) Page(st *State) *wiki.Page {
	if r := k.key.Get(st); r != nil {
		return r.Page
	}
	return nil
}

// Rows returns the page's rows as read.
func (k RowsKey[R]) Rows(st *State) []R {
	if r := k.key.Get(st); r != nil {
		return r.Rows
	}
	return nil
}

// SetRows sets the rows, as if read, keeping the page.
func (k RowsKey[R]) SetRows(st *State, rows []R) {
	k.Set(st, k.Page(st), rows)
}
