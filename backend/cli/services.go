package cli

import "batchdesk/backend/workspace"

// Services are the app's open services (store, secrets, connections); see
// package workspace. main.go opens them lazily and hands them over in Env.
type Services = workspace.Workspace
