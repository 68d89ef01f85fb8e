/**
 * A patrol car driving around a city centre: it heads for a random waypoint on a street grid (moves along
 * one axis, then the other, like a car in a block grid), speeds up to a cruising speed for the street,
 * slows at corners, and sometimes waits at a stop. Deterministic for a given seed, so runs repeat.
 */
export interface VehicleFix {
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
}

export interface CityArea {
  lat: number;
  lon: number;
  radiusM: number;
}

export const CHENGDU: CityArea = { lat: 30.66, lon: 104.06, radiusM: 8_000 };

const METRES_PER_DEGREE_LAT = 111_320;

/** A small seeded PRNG (mulberry32): good enough for routes, and repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Vehicle {
  private readonly random: () => number;
  private readonly area: CityArea;
  /** Position in metres east and north of the centre. */
  private x: number;
  private y: number;
  private speedMs = 0;
  private cruiseMs = 0;
  private course = 0;
  private waypoints: { x: number; y: number }[] = [];
  private stoppedS = 0;

  constructor(seed: number, area: CityArea = CHENGDU) {
    this.random = seededRandom(seed);
    this.area = area;
    this.x = (this.random() * 2 - 1) * area.radiusM * 0.7;
    this.y = (this.random() * 2 - 1) * area.radiusM * 0.7;
    this.planRoute();
  }

  /** Advances the car by `seconds` and returns where it is. */
  step(seconds: number): VehicleFix {
    let left = seconds;
    while (left > 0) {
      const dt = Math.min(1, left);
      left -= dt;
      this.tick(dt);
    }
    return this.fix();
  }

  fix(): VehicleFix {
    const lat = this.area.lat + this.y / METRES_PER_DEGREE_LAT;
    const lon = this.area.lon + this.x / (METRES_PER_DEGREE_LAT * Math.cos((this.area.lat * Math.PI) / 180));
    return { lat, lon, speedKmh: Math.round(this.speedMs * 3.6 * 10) / 10, course: Math.round(this.course) % 360 };
  }

  private tick(dt: number): void {
    if (this.stoppedS > 0) {
      this.stoppedS -= dt;
      this.speedMs = 0;
      return;
    }
    const target = this.waypoints[0];
    if (!target) {
      // Arrived: sometimes wait at the scene, then plan the next trip.
      if (this.random() < 0.3) this.stoppedS = 30 + this.random() * 120;
      this.planRoute();
      return;
    }
    const dx = target.x - this.x;
    const dy = target.y - this.y;
    const distance = Math.hypot(dx, dy);
    // Brake so as to reach the corner at walking pace: v² = 2·a·d with a gentle 1.5 m/s².
    const brakeLimit = Math.sqrt(2 * 1.5 * distance) + 2;
    const wanted = Math.min(this.cruiseMs, brakeLimit);
    const accel = wanted > this.speedMs ? 2 : -3;
    this.speedMs = Math.max(0, Math.min(wanted, this.speedMs + accel * dt));
    if (this.speedMs < 0.5 && wanted > this.speedMs) this.speedMs = Math.min(wanted, 2);
    const travel = this.speedMs * dt;
    this.course = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
    if (travel >= distance) {
      this.x = target.x;
      this.y = target.y;
      this.waypoints.shift();
      this.pickCruise();
    } else {
      this.x += (dx / distance) * travel;
      this.y += (dy / distance) * travel;
    }
  }

  private planRoute(): void {
    const r = this.area.radiusM;
    const to = { x: (this.random() * 2 - 1) * r, y: (this.random() * 2 - 1) * r };
    // Streets on a 250 m grid: go along one axis, then the other.
    const snap = (value: number) => Math.round(value / 250) * 250;
    const corner = this.random() < 0.5 ? { x: snap(to.x), y: this.y } : { x: this.x, y: snap(to.y) };
    this.waypoints = [corner, { x: snap(to.x), y: snap(to.y) }];
    this.pickCruise();
  }

  private pickCruise(): void {
    // 25–60 km/h: city streets to ring roads.
    this.cruiseMs = (25 + this.random() * 35) / 3.6;
  }
}
