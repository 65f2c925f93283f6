// Workflow, integration and e2e tests start servers, brokers and apps; their tests get minutes.
jest.setTimeout(180_000);
