package local

import (
	"errors"
	"syscall"
)

func isNotDir(err error) bool  { return errors.Is(err, syscall.ENOTDIR) }
func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
