// The wire contract between the server and the screens: live frames, report answers, admin answers.
export * from './live';
export * from './cases';
export * from './reports';
export * from './accounts';
export * from './unit';
export * from './devices';
export * from './schedule-import';
export * from './interfaces';
