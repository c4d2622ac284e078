package oss

import (
	"context"
	"errors"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"
)

// asServiceError finds an OSS error answer in err's chain (the SDK returns
// it by value).
func asServiceError(err error, se *oss.ServiceError) bool {
	if errors.As(err, se) {
		return true
	}
	var p *oss.ServiceError
	if errors.As(err, &p) && p != nil {
		*se = *p
		return true
	}
	return false
}

// contextError returns the context error inside err, if any.
func contextError(err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	}
	return nil
}
