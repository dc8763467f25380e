// Jest setup file of the "postgres" project: startTestApp() creates each app's database there.
process.env.TEST_DATABASE = 'postgres';
