package load

import "sync"

// KeyMap links a master's key, as written in its file, to the record it
// became (or to the reason it failed). It is safe for concurrent use.
type KeyMap struct {
	mu     sync.RWMutex
	ids    map[string]string
	failed map[string]string
}

// NewKeyMap returns an empty KeyMap.
func NewKeyMap() *KeyMap {
	return &KeyMap{ids: map[string]string{}, failed: map[string]string{}}
}

// Set records that key became the record id.
func (m *KeyMap) Set(key, id string) {
	m.mu.Lock()
	m.ids[key] = id
	delete(m.failed, key)
	m.mu.Unlock()
}

// Fail records that the row with this key was not written, and why.
func (m *KeyMap) Fail(key, reason string) {
	m.mu.Lock()
	if _, ok := m.ids[key]; !ok {
		m.failed[key] = reason
	}
	m.mu.Unlock()
}

// Get returns the id of key, or the reason it failed; ok is false when the
// key is unknown.
func (m *KeyMap) Get(key string) (id, failed string, ok bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if id, ok := m.ids[key]; ok {
		return id, "", true
	}
	if r, ok := m.failed[key]; ok {
		return "", r, true
	}
	return "", "", false
}

// Len returns the number of keys written.
func (m *KeyMap) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.ids)
}
