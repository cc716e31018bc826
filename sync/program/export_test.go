package program

// CloneChecker is clone, for the external tests.
func CloneChecker(ck *Checker) *Checker { return ck.clone() }
