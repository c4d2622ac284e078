package deletion

// CascadedOf is how many detail records delete job id took with it (the
// cascades of its captured preview); 0 before the capture, or when none.
// It is what went only once the job is done: callers show it for done
// jobs alone.
func (s *Service) CascadedOf(id string) int64 {
	m, err := readManifest(s.jobDir(id))
	if err != nil || m == nil {
		return 0
	}
	var n int64
	for _, c := range m.Preview.Cascades {
		n += c.Rows
	}
	return n
}
