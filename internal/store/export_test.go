package store

// SetSearchWindow makes searches rank the n most recent matches and, when
// floor is set, find them by counting in id ranges (searchFloor) on either
// store, or else read all matches as SQLite does. It returns a function
// that restores the defaults.
func SetSearchWindow(n int, floor bool) (restore func()) {
	searchWindow = n
	searchByFloor = func(dialect) bool { return floor }
	return func() { searchWindow, searchByFloor = SearchWindow, dialect.unorderedMatches }
}
