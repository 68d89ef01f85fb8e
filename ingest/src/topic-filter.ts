/**
 * An MQTT topic filter with `+` and `#` wildcards, compiled once into a test of topics. The bus runs it for
 * every message it hands to a subscriber in this process (every stored position), so a topic is read a
 * level at a time in place, without splitting it into an array of strings.
 */
export function topicMatcher(filter: string): (topic: string) => boolean {
  const levels = filter.split('/');
  return (topic) => {
    let start = 0;
    for (const level of levels) {
      if (level === '#') return true;
      // The topic has no level left for this one.
      if (start > topic.length) return false;
      const slash = topic.indexOf('/', start);
      const end = slash === -1 ? topic.length : slash;
      if (level !== '+' && (end - start !== level.length || !topic.startsWith(level, start))) return false;
      start = end + 1;
    }
    return start === topic.length + 1;
  };
}
