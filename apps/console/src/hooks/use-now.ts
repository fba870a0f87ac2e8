import { useEffect, useState } from 'react';

/** Returns the time in ms, updated every `everyMs`, so that ages on screen keep moving. */
export function useNow(everyMs = 5000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
