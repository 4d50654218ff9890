package web

import "github.com/ombud/ombud/internal/cases"

// ActionFields exposes the inputs of each action's form to the tests.
func ActionFields() map[cases.Action][]string { return actionFields }
